using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// DRV043: in a method that uses <c>irp.MdlAddress</c> (direct I/O), the transfer length read from
/// <c>IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length</c> / <c>.Write.Length</c> (also through a local
/// stack-location variable) instead of <c>MmGetMdlByteCount(irp.MdlAddress)</c>.
/// Silent where the stack-location length is the right one, or where its use is unknown (handed to a helper that
/// is not a DDI): a length compared with a constant (a size or
/// zero-length check: a zero-length direct transfer has no MDL, and MmGetMdlByteCount(NULL) would fault), directly
/// or through the local it is stored in, or a length read before the method tests <c>irp.MdlAddress</c> for NULL.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DirectIoLengthAnalyzer : DriverApiAnalyzer
{
    /// <summary>Diagnostic property: the name of the IRP variable, for the code fix.</summary>
    public const string IrpProperty = "Irp";

    /// <summary>Diagnostic property: where the IRP variable is declared, so the fix names that very variable.</summary>
    public const string IrpDeclarationProperty = "IrpDeclaration";

    private const string MdlAddress = nameof(MdlAddress);

    private static readonly NameScreen Screen = new(name => name == MdlAddress);

    public DirectIoLengthAnalyzer()
        : base(Descriptors.DirectIoLengthFromParameters)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var symbols = IoModeSymbols.For(session);
        if (symbols.Irp is null || symbols.StackLocation is null || symbols.TransferParameters is null)
        {
            return;
        }

        SolvedBodies.RegisterMethodBodies(context, (body, _) =>
        {
            // A direct-I/O method names the IRP's MdlAddress; no graph is needed (one walk of the bound body).
            if (Screen.Passes(body.Operation.Syntax, session.Telemetry, body.CancellationToken))
            {
                AnalyzeBody(body, body.Operation, symbols, session.Catalog);
            }
        });
    }

    private static void AnalyzeBody(OperationAnalysisContext context, IOperation body, IoModeSymbols symbols, DdiCatalog catalog)
    {
        var facts = BodyFacts.Collect(body, symbols, catalog, context.CancellationToken);
        if (facts.LengthReads.Count == 0 || facts.MdlUsers.Count == 0)
        {
            return;
        }

        foreach (var (read, irp) in facts.LengthReads)
        {
            if (!facts.MdlUsers.Contains(irp) || IsAssigned(read) || IsHelperArgument(read, symbols) || facts.IsSizeChecked(read) ||
                facts.IsNullCheckedAfter(irp, read.Syntax.SpanStart))
            {
                continue;
            }

            var declaration = irp.DeclaringSyntaxReferences.Length > 0 ? irp.DeclaringSyntaxReferences[0].Span.Start : -1;
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(IrpProperty, irp.Name)
                .Add(IrpDeclarationProperty, declaration.ToString(System.Globalization.CultureInfo.InvariantCulture));
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.DirectIoLengthFromParameters,
                read.Syntax.GetLocation(),
                properties,
                read.Syntax.ToString(),
                irp.Name));
        }
    }

    /// <summary>
    /// True when the length is handed to a method that is not a DDI (a helper, a log, an assertion): what it does
    /// with it is unknown, so it is not known to be used as the transfer length.
    /// </summary>
    private static bool IsHelperArgument(IOperation read, IoModeSymbols symbols)
    {
        var current = read;
        for (var i = 0; i < 8 && current.Parent is IConversionOperation or IParenthesizedOperation; i++)
        {
            current = current.Parent!;
        }

        return current.Parent is IArgumentOperation { Parent: IInvocationOperation invocation } &&
               !symbols.Api.IsDdi(invocation.TargetMethod);
    }

    private static bool IsAssigned(IOperation read) =>
        read.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, read);

    /// <summary>What one method body says about IRPs, stack locations and lengths (one walk, no recursion).</summary>
    private sealed class BodyFacts
    {
        private readonly IoModeSymbols _symbols;
        private readonly DdiCatalog _catalog;
        private readonly Dictionary<ILocalSymbol, ISymbol?> _stackLocals = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ISymbol> _sizeCheckedLocals = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, int> _lastMdlNullCheck = new(SymbolEqualityComparer.Default);
        private readonly List<IPropertyReferenceOperation> _lengthCandidates = new();

        private BodyFacts(IoModeSymbols symbols, DdiCatalog catalog)
        {
            _symbols = symbols;
            _catalog = catalog;
        }

        public HashSet<ISymbol> MdlUsers { get; } = new(SymbolEqualityComparer.Default);

        public List<(IPropertyReferenceOperation Read, ISymbol Irp)> LengthReads { get; } = new();

        public static BodyFacts Collect(IOperation body, IoModeSymbols symbols, DdiCatalog catalog, System.Threading.CancellationToken ct)
        {
            var facts = new BodyFacts(symbols, catalog);
            foreach (var operation in body.Descendants())
            {
                ct.ThrowIfCancellationRequested();
                facts.Visit(operation);
            }

            foreach (var candidate in facts._lengthCandidates)
            {
                if (facts.IrpOfStackLocation(candidate) is { } irp)
                {
                    facts.LengthReads.Add((candidate, irp));
                }
            }

            return facts;
        }

        private void Visit(IOperation operation)
        {
            switch (operation)
            {
                case IPropertyReferenceOperation property
                    when IoModeSymbols.IsProperty(property.Property, _symbols.Irp, MdlAddress):
                    if (IoModeSymbols.VariableOf(property.Instance) is { } irp && !IsAssigned(property))
                    {
                        // A NULL test alone does not make the method direct I/O (buffered code asserts there is no MDL).
                        if (IsNullComparison(property))
                        {
                            _lastMdlNullCheck[irp] = _lastMdlNullCheck.TryGetValue(irp, out var last)
                                ? System.Math.Max(last, property.Syntax.SpanStart)
                                : property.Syntax.SpanStart;
                        }
                        else
                        {
                            MdlUsers.Add(irp);
                        }
                    }

                    break;

                case IPropertyReferenceOperation { Property.Name: "Length" } property
                    when SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, _symbols.TransferParameters):
                    _lengthCandidates.Add(property);
                    break;

                case IVariableDeclaratorOperation declarator:
                    var initializer = declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value;
                    if (initializer is not null)
                    {
                        NoteLocalAssignment(declarator.Symbol, initializer);
                    }

                    break;

                case IAssignmentOperation assignment
                    when IoModeSymbols.Unwrap(assignment.Target) is ILocalReferenceOperation local:
                    NoteLocalAssignment(local.Local, assignment is ISimpleAssignmentOperation ? assignment.Value : null);
                    break;

                case IBinaryOperation binary when IsComparison(binary.OperatorKind):
                    if (IsConstant(binary.RightOperand) && IoModeSymbols.Unwrap(binary.LeftOperand) is ILocalReferenceOperation left &&
                        !IsClamp(binary, left.Local))
                    {
                        _sizeCheckedLocals.Add(left.Local);
                    }

                    if (IsConstant(binary.LeftOperand) && IoModeSymbols.Unwrap(binary.RightOperand) is ILocalReferenceOperation right &&
                        !IsClamp(binary, right.Local))
                    {
                        _sizeCheckedLocals.Add(right.Local);
                    }

                    break;
            }
        }

        /// <summary>A stack-location local is one whose every assignment is <c>IoGetCurrentIrpStackLocation(irp)</c> of one irp.</summary>
        private void NoteLocalAssignment(ILocalSymbol local, IOperation? value)
        {
            if (!SymbolEqualityComparer.Default.Equals(local.Type, _symbols.StackLocation))
            {
                return;
            }

            var irp = value is null ? null : IrpOfCurrentStackLocationCall(value);
            if (_stackLocals.TryGetValue(local, out var known) && !SymbolEqualityComparer.Default.Equals(known, irp))
            {
                irp = null;
            }

            _stackLocals[local] = irp;
        }

        private ISymbol? IrpOfCurrentStackLocationCall(IOperation value) =>
            IoModeSymbols.Unwrap(value) is IInvocationOperation invocation &&
            _catalog.Has(invocation.TargetMethod, DdiRole.GetsStackLocation)
                ? IoModeSymbols.VariableOf(IoModeSymbols.Argument(invocation, 0)?.Value)
                : null;

        /// <summary>For <c>X.Parameters.Read.Length</c> (or <c>.Write</c>), the IRP whose current stack location X is.</summary>
        private ISymbol? IrpOfStackLocation(IPropertyReferenceOperation length)
        {
            if (length.Instance is not IPropertyReferenceOperation { Property.Name: "Read" or "Write" } transfer ||
                !SymbolEqualityComparer.Default.Equals(transfer.Property.ContainingType, _symbols.StackParameters) ||
                transfer.Instance is not IPropertyReferenceOperation { Property.Name: "Parameters" } parameters ||
                !SymbolEqualityComparer.Default.Equals(parameters.Property.ContainingType, _symbols.StackLocation) ||
                parameters.Instance is null)
            {
                return null;
            }

            var stack = IoModeSymbols.Unwrap(parameters.Instance);
            if (stack is ILocalReferenceOperation local)
            {
                return _stackLocals.TryGetValue(local.Local, out var irp) ? irp : null;
            }

            return IrpOfCurrentStackLocationCall(stack);
        }

        /// <summary>
        /// True when the length is compared with a constant, directly or through the local it is stored in: a size
        /// check, which also handles the zero-length transfer that in direct I/O comes without an MDL.
        /// </summary>
        public bool IsSizeChecked(IOperation read)
        {
            var current = read;
            for (var i = 0; i < 8 && current.Parent is IConversionOperation or IParenthesizedOperation; i++)
            {
                current = current.Parent!;
            }

            switch (current.Parent)
            {
                case IBinaryOperation binary when IsComparison(binary.OperatorKind):
                    return IsConstant(ReferenceEquals(binary.LeftOperand, current) ? binary.RightOperand : binary.LeftOperand);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return _sizeCheckedLocals.Contains(declarator.Symbol);
                case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, current) &&
                                                                IoModeSymbols.Unwrap(assignment.Target) is ILocalReferenceOperation local:
                    return _sizeCheckedLocals.Contains(local.Local);
                default:
                    return false;
            }
        }

        /// <summary>True when the method tests <c>irp.MdlAddress</c> for NULL after <paramref name="position"/>.</summary>
        public bool IsNullCheckedAfter(ISymbol irp, int position) =>
            _lastMdlNullCheck.TryGetValue(irp, out var last) && last > position;

        private static bool IsNullComparison(IOperation mdlAddress)
        {
            var current = mdlAddress;
            for (var i = 0; i < 8 && current.Parent is IConversionOperation or IParenthesizedOperation; i++)
            {
                current = current.Parent!;
            }

            return current.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } ||
                   current.Parent is IIsPatternOperation;
        }

        private static bool IsComparison(BinaryOperatorKind kind) =>
            kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or
                BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

        /// <summary>
        /// <c>if (length &gt; MAX) { length = MAX; }</c>: the comparison only clamps the length, which is then still used
        /// for the transfer; not a size check.
        /// </summary>
        private static bool IsClamp(IBinaryOperation comparison, ILocalSymbol local)
        {
            IOperation condition = comparison;
            for (var i = 0; i < 8 && condition.Parent is IParenthesizedOperation; i++)
            {
                condition = condition.Parent!;
            }

            return condition.Parent is IConditionalOperation { WhenTrue: { } whenTrue } conditional &&
                   ReferenceEquals(conditional.Condition, condition) &&
                   whenTrue.DescendantsAndSelf().Any(o => o is ISimpleAssignmentOperation assignment &&
                       IoModeSymbols.Unwrap(assignment.Target) is ILocalReferenceOperation target &&
                       SymbolEqualityComparer.Default.Equals(target.Local, local));
        }

        private static bool IsConstant(IOperation operation) =>
            IoModeSymbols.Unwrap(operation).ConstantValue is { HasValue: true, Value: not null };
    }
}
