using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>What a <see cref="ValueKey"/> stands for.</summary>
internal enum ValueKeyKind : byte
{
    /// <summary>A local variable (also one captured by a lambda or local function).</summary>
    Local,

    /// <summary>A parameter.</summary>
    Parameter,

    /// <summary>A field of <c>this</c>, or a static field.</summary>
    Field,

    /// <summary>A value the control flow graph captured (the branches of <c>?:</c>, <c>??</c>, ...).</summary>
    FlowCapture,

    /// <summary>The result of one operation (a call whose result is tested in place).</summary>
    Operation,
}

/// <summary>
/// A storage location a flow analysis can follow: a local, a parameter, a field of <c>this</c> (or a static field),
/// or a flow capture of the control flow graph. Other places (fields of other objects, array elements,
/// properties) are not followed.
/// </summary>
internal readonly struct ValueKey : IEquatable<ValueKey>
{
    private readonly object _identity;

    private ValueKey(ValueKeyKind kind, object identity, ITypeSymbol? type, string name)
    {
        Kind = kind;
        _identity = identity;
        Type = type;
        Name = name;
    }

    public ValueKeyKind Kind { get; }

    /// <summary>The declared type of the location.</summary>
    public ITypeSymbol? Type { get; }

    /// <summary>The name the user wrote (a capture's name is empty).</summary>
    public string Name { get; }

    /// <summary>The local, parameter or field; null for captures and operations.</summary>
    public ISymbol? Symbol => _identity as ISymbol;

    public static ValueKey ForSymbol(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => new ValueKey(ValueKeyKind.Local, local, local.Type, local.Name),
        IParameterSymbol parameter => new ValueKey(ValueKeyKind.Parameter, parameter, parameter.Type, parameter.Name),
        IFieldSymbol field => new ValueKey(ValueKeyKind.Field, field, field.Type, field.Name),
        _ => throw new ArgumentException("Only locals, parameters and fields are keys.", nameof(symbol)),
    };

    public static ValueKey ForCapture(CaptureId id, ITypeSymbol? type) => new(ValueKeyKind.FlowCapture, id, type, string.Empty);

    public static ValueKey ForOperation(IOperation operation) => new(ValueKeyKind.Operation, operation, operation.Type, string.Empty);

    /// <summary>
    /// The key of a reference the analysis follows: a local, a parameter, a field of <c>this</c> or a static field,
    /// a flow capture (through <c>out var</c> declarations); null for anything else.
    /// </summary>
    public static ValueKey? TryCreate(IOperation? operation)
    {
        switch (operation)
        {
            case IDeclarationExpressionOperation declaration:
                return TryCreate(declaration.Expression);
            case ILocalReferenceOperation local:
                return ForSymbol(local.Local);
            case IParameterReferenceOperation parameter:
                return ForSymbol(parameter.Parameter);
            case IFieldReferenceOperation field when field.Field.IsStatic ||
                field.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return ForSymbol(field.Field);
            case IFlowCaptureReferenceOperation capture:
                return ForCapture(capture.Id, capture.Type);
            case IFlowCaptureOperation capture:
                return ForCapture(capture.Id, capture.Value.Type);
            default:
                return null;
        }
    }

    public bool Equals(ValueKey other) =>
        Kind == other.Kind &&
        (_identity is ISymbol symbol
            ? SymbolEqualityComparer.Default.Equals(symbol, other._identity as ISymbol)
            : Equals(_identity, other._identity));

    public override bool Equals(object? obj) => obj is ValueKey other && Equals(other);

    public override int GetHashCode() =>
        ((int)Kind * 397) ^ (_identity is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : _identity?.GetHashCode() ?? 0);

    public override string ToString() => $"{Kind}:{(Name.Length > 0 ? Name : _identity?.ToString())}";
}
