using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The sizes of fixed-size buffers held in fields: a <c>readonly LOCAL_BUFFER</c> field (C's <c>UCHAR Buffer[16]</c> in a
/// device context or extension) initialized with a constant size, <c>public readonly LOCAL_BUFFER Data = new(16);</c>. Its
/// <c>Address</c> holds that many bytes in every method. Computed lazily per field (its declaration bound once) and
/// cached for the compilation.
/// </summary>
internal sealed class LocalBufferSizes
{
    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol? _localBuffer;
    private readonly ConcurrentDictionary<IFieldSymbol, ulong?> _sizes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IFieldSymbol, ulong?> _arrayLengths = new(SymbolEqualityComparer.Default);

    public LocalBufferSizes(DriverApi api)
    {
        _compilation = api.Compilation;
        // Looked up in the API's assembly: the compilation-wide look-up builds the merged declaration table of every
        // reference at compilation start (8% of the package's time on ordinary code beside driver code, cost10's profile).
        _localBuffer = api.TypeOf("DriverBuffers.LOCAL_BUFFER");
    }

    /// <summary>True for the <c>LOCAL_BUFFER</c> type.</summary>
    public bool IsLocalBuffer(ITypeSymbol? type) => _localBuffer is not null && SymbolEqualityComparer.Default.Equals(type, _localBuffer);

    /// <summary>The constant size of the readonly <c>LOCAL_BUFFER</c> field <paramref name="field"/>, or null.</summary>
    public ulong? SizeOf(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (!field.IsReadOnly || !IsLocalBuffer(field.Type) || field.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        return _sizes.GetOrAdd(field.OriginalDefinition, f => Compute(f, cancellationToken));
    }

    private ulong? Compute(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax
            {
                Initializer.Value: BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments },
            } declarator ||
            !_compilation.ContainsSyntaxTree(declarator.SyntaxTree))
        {
            return null;
        }

#pragma warning disable RS1030 // the field's initializer: one constant, bound once per field and cached
        var model = _compilation.GetSemanticModel(declarator.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetConstantValue(arguments[0].Expression, cancellationToken) is { HasValue: true, Value: { } value } &&
            KnownSizesDomain.TryUnsigned(value, out var size))
        {
            return size;
        }

        // new(G_DefaultReportDescriptor.Length): the length of a static readonly array initialized with its elements.
        return arguments[0].Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" } length &&
               model.GetSymbolInfo(length.Expression, cancellationToken).Symbol is IFieldSymbol { IsStatic: true, IsReadOnly: true } array
            ? InitializedLength(array, cancellationToken)
            : null;
    }

    /// <summary>
    /// The number of elements of a static readonly array field initialized with them (<c>{ 0x06, 0x00, ... }</c> or
    /// <c>new byte[] { ... }</c>) and not assigned in a static constructor; null otherwise. Cached per field.
    /// </summary>
    public ulong? InitializedLength(IFieldSymbol array, CancellationToken cancellationToken) =>
        array.IsStatic && array.IsReadOnly && array.Type is IArrayTypeSymbol { Rank: 1 }
            ? _arrayLengths.GetOrAdd(array.OriginalDefinition, a => CountElements(a, cancellationToken))
            : null;

    private static ulong? CountElements(IFieldSymbol array, CancellationToken cancellationToken)
    {
        if (array.DeclaringSyntaxReferences.Length != 1 ||
            array.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: var value } ||
            array.ContainingType.StaticConstructors.Any(c => !c.IsImplicitlyDeclared))
        {
            return null;
        }

        var initializer = value switch
        {
            InitializerExpressionSyntax elements => elements,
            ArrayCreationExpressionSyntax { Initializer: { } elements, Type.RankSpecifiers.Count: 1 } => elements,
            ImplicitArrayCreationExpressionSyntax { Initializer: var elements } => elements,
            _ => null,
        };
        return initializer is null ? null : (ulong)initializer.Expressions.Count;
    }
}
