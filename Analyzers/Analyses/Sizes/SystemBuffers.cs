#pragma warning disable RS1030 // the switch a read is in is bound in the read's tree (operations of a flow graph carry no semantic model), as MethodBodies does for helpers
using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The WDM fact source of the Sizes analysis: a METHOD_BUFFERED IOCTL's system buffer (<c>Irp.AssociatedIrp.SystemBuffer</c>)
/// holds max(<c>InputBufferLength</c>, <c>OutputBufferLength</c>) bytes of the IRP's current stack location
/// (<c>IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl</c>), so at least each of them: a length the driver
/// checked sizes it, and an access past every checked length is not known to be in bounds (the buffer may be as long as
/// the shorter one). Only for METHOD_BUFFERED: a read of the system buffer is given these sizes under a <c>switch</c> case
/// on the stack location's <c>IoControlCode</c> whose every label is an IOCTL code of transfer type METHOD_BUFFERED (the
/// code's low two bits), or in a helper every caller of which calls it so (<see cref="CallerBufferSizes.SystemBufferOf"/>).
/// Under METHOD_IN_DIRECT/OUT_DIRECT the system buffer holds the input only, and under METHOD_NEITHER it is not the
/// caller's buffer: nothing is said there. Members are matched by their API type, never by name alone.
/// </summary>
internal sealed class SystemBuffers
{
    private const uint TransferTypeMask = 3;
    private const uint MethodBuffered = 0;

    private readonly Lazy<Symbols?> _symbols;
    private readonly Compilation _compilation;

    /// <summary>One semantic model per tree that has a system buffer read under a <c>switch</c> (WDM dispatch code only).</summary>
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    public SystemBuffers(DriverApi api, Compilation compilation)
    {
        _symbols = new Lazy<Symbols?>(() => Symbols.Resolve(api));
        _compilation = compilation;
    }

    /// <summary>True when the API has the IRP and stack-location members (always, with the reference API).</summary>
    public bool IsAvailable => _symbols.Value is not null;

    /// <summary><c>irp.AssociatedIrp.SystemBuffer</c> of the IRP held at <paramref name="irp"/>; null when the API has none.</summary>
    public TrackedLocation? SystemBufferOf(TrackedLocation irp) =>
        _symbols.Value is { } s ? irp.Member(s.AssociatedIrp)?.Member(s.SystemBuffer) : null;

    /// <summary>True for <c>….AssociatedIrp.SystemBuffer</c> of an IRP.</summary>
    public bool IsSystemBuffer(TrackedLocation location) =>
        location.IsMember && _symbols.Value is { } s && SymbolEqualityComparer.Default.Equals(location.Symbol, s.SystemBuffer) &&
        location.Holder is { } holder && SymbolEqualityComparer.Default.Equals(holder.Symbol, s.AssociatedIrp);

    /// <summary>The IRP argument of <c>IoGetCurrentIrpStackLocation(irp)</c> when <paramref name="value"/> is that call; else null.</summary>
    public IOperation? IrpOfCurrentStackLocation(DdiCatalog catalog, IOperation value) =>
        OperationUnwrap.Unwrap(value) is IInvocationOperation invocation && catalog.Has(invocation.TargetMethod, DdiRole.GetsStackLocation) &&
        invocation.Arguments.Length == 1
            ? invocation.Arguments[0].Value
            : null;

    /// <summary>
    /// <c>stackLocation.Parameters.DeviceIoControl.InputBufferLength</c> and <c>….OutputBufferLength</c>: the sizes the system
    /// buffer holds at least; empty when the paths are longer than a location keeps.
    /// </summary>
    public BoundSet LengthsOf(TrackedLocation stackLocation)
    {
        if (_symbols.Value is not { } s || stackLocation.Member(s.Parameters)?.Member(s.DeviceIoControl) is not { } control ||
            control.Member(s.InputBufferLength) is not { } input || control.Member(s.OutputBufferLength) is not { } output)
        {
            return BoundSet.Empty;
        }

        return BoundSet.Create(Bound.Of(input)).Add(Bound.Of(output));
    }

    /// <summary>
    /// The stack location whose <c>Parameters.DeviceIoControl.InputBufferLength</c> (or <c>OutputBufferLength</c>)
    /// <paramref name="length"/> is; else null.
    /// </summary>
    public TrackedLocation? StackLocationOfLength(TrackedLocation length) =>
        _symbols.Value is { } s && length.IsMember &&
        (SymbolEqualityComparer.Default.Equals(length.Symbol, s.InputBufferLength) || SymbolEqualityComparer.Default.Equals(length.Symbol, s.OutputBufferLength))
            ? length.Holder?.Holder
            : null;

    /// <summary>
    /// True when <paramref name="node"/> runs only for METHOD_BUFFERED IOCTLs: in a <c>switch</c> section on the stack
    /// location's <c>IoControlCode</c> (directly, or a local every assignment of which reads it) whose every label is a
    /// constant IOCTL code of transfer type METHOD_BUFFERED. Switches on anything else in between are looked through.
    /// </summary>
    public bool IsUnderBufferedIoctl(SyntaxNode node, CancellationToken cancellationToken)
    {
        if (_symbols.Value is not { } s || !node.Ancestors().OfType<SwitchSectionSyntax>().Any() || !_compilation.ContainsSyntaxTree(node.SyntaxTree))
        {
            return false;
        }

        var model = _models.GetOrAdd(node.SyntaxTree, tree => _compilation.GetSemanticModel(tree));
        foreach (var section in node.Ancestors().OfType<SwitchSectionSyntax>())
        {
            WorkMeter.Steps(1);
            if (section.Parent is not SwitchStatementSyntax { Expression: var governing } || !IsIoControlCode(governing, model, s, cancellationToken))
            {
                continue;
            }

            return section.Labels.Count > 0 && section.Labels.All(label =>
                label is CaseSwitchLabelSyntax { Value: var value } &&
                model.GetConstantValue(value, cancellationToken) is { HasValue: true, Value: var code } &&
                (code switch { uint u => u, int n => unchecked((uint)n), _ => (uint?)null }) is { } ioctl &&
                (ioctl & TransferTypeMask) == MethodBuffered);
        }

        return false;
    }

    private static bool IsIoControlCode(ExpressionSyntax expression, SemanticModel model, Symbols s, CancellationToken cancellationToken)
    {
        expression = Strip(expression);
        var symbol = model.GetSymbolInfo(expression, cancellationToken).Symbol;
        if (SymbolEqualityComparer.Default.Equals(symbol, s.IoControlCode))
        {
            return true;
        }

        // Ioctl = irpStack.Parameters.DeviceIoControl.IoControlCode; switch (Ioctl): every assignment of the local reads it.
        if (symbol is not ILocalSymbol local || local.DeclaringSyntaxReferences.Length != 1 ||
            expression.FirstAncestorOrSelf<BaseMethodDeclarationSyntax>() is not { } method)
        {
            return false;
        }

        var assigned = false;
        foreach (var node in method.DescendantNodes())
        {
            ExpressionSyntax? value = node switch
            {
                VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == local.Name => declarator.Initializer?.Value,
                AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } assignment when left.Identifier.ValueText == local.Name => assignment.Right,
                ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax passed } when passed.Identifier.ValueText == local.Name => passed,
                _ => null,
            };
            if (value is null)
            {
                continue;
            }

            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(Strip(value), cancellationToken).Symbol, s.IoControlCode))
            {
                return false;
            }

            assigned = true;
        }

        return assigned;
    }

    private static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            expression = expression is ParenthesizedExpressionSyntax p ? p.Expression : ((CastExpressionSyntax)expression).Expression;
        }

        return expression;
    }

    /// <summary>The API members the system buffer is reached through.</summary>
    private sealed class Symbols
    {
        public ISymbol AssociatedIrp { get; private set; } = null!;
        public ISymbol SystemBuffer { get; private set; } = null!;
        public ISymbol Parameters { get; private set; } = null!;
        public ISymbol DeviceIoControl { get; private set; } = null!;
        public ISymbol InputBufferLength { get; private set; } = null!;
        public ISymbol OutputBufferLength { get; private set; } = null!;
        public ISymbol IoControlCode { get; private set; } = null!;

        public static Symbols? Resolve(DriverApi api)
        {
            if (api.TypeOf("DriverBuffers.IRP") is not { } irp || Property(irp, "AssociatedIrp") is not { } associated ||
                Property(associated.Type, "SystemBuffer") is not { } systemBuffer ||
                api.TypeOf("DriverBuffers.IO_STACK_LOCATION") is not { } stackLocation || Property(stackLocation, "Parameters") is not { } parameters ||
                Property(parameters.Type, "DeviceIoControl") is not { } control || Property(control.Type, "InputBufferLength") is not { } input ||
                Property(control.Type, "OutputBufferLength") is not { } output || Property(control.Type, "IoControlCode") is not { } code)
            {
                return null;
            }

            return new Symbols
            {
                AssociatedIrp = associated, SystemBuffer = systemBuffer, Parameters = parameters, DeviceIoControl = control,
                InputBufferLength = input, OutputBufferLength = output, IoControlCode = code,
            };
        }

        private static IPropertySymbol? Property(ITypeSymbol type, string name) =>
            type.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault();
    }
}

/// <summary>A helper's IRP parameter that every caller passes under a METHOD_BUFFERED IOCTL, and the bytes every caller checked its system buffer holds.</summary>
internal sealed class CallerSystemBuffer
{
    public CallerSystemBuffer(IParameterSymbol irp, ulong atLeast)
    {
        Irp = irp;
        AtLeast = atLeast;
    }

    public IParameterSymbol Irp { get; }

    /// <summary>The smallest, over the callers, of the largest length each checked (0: none checked by some caller).</summary>
    public ulong AtLeast { get; }
}
