using System.Collections.Immutable;
using DriverBuffers.Analyzers.Analyses.ParameterEffects;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// DRV046: <c>DriverEntry</c> (a method, lambda or local function of <c>DRIVER_INITIALIZE</c>'s shape) keeps its
/// <c>RegistryPath</c>, or <c>RegistryPath.Buffer</c> (also through locals that hold them, and offsets of the buffer), in
/// something that outlives it: a field, a static, a member of another object or a device/driver context; or hands it
/// to a helper that keeps its parameter so (on any path); or a lambda or local function created in <c>DriverEntry</c>
/// (a callback, which runs later) reads it. Copying the string (<c>RtlCopyUnicodeString</c> into driver-owned memory),
/// passing it to DDIs (<c>WdfDriverCreate</c>) and keeping its length are silent (PREfast C28131, CodeQL
/// DriverEntrySaveBuffer).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RegistryPathKeptAnalyzer : DriverApiAnalyzer
{
    /// <summary>
    /// Diagnostic property, for the code fix: the name of DriverEntry's RegistryPath parameter, when the diagnostic is an
    /// assignment of the RegistryPath itself (a <c>UNICODE_STRING</c>) that a copy can replace.
    /// </summary>
    public const string CopyFromProperty = "CopyFrom";

    public RegistryPathKeptAnalyzer()
        : base(Descriptors.RegistryPathKept)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var symbols = IoModeSymbols.For(session);
        if (symbols.DriverObject is null || symbols.UnicodeString is null)
        {
            return;
        }

        var effects = ParameterEffectSummaries.For(session);
        SolvedBodies.RegisterMethodBodies(context, (body, method) =>
        {
            // DriverEntry itself, or a body that creates one as a lambda (confirmed by symbol, no graph yet).
            if (symbols.RegistryPathOf(method) is null &&
                !CreatesDriverEntry(body.Operation, symbols, session.Telemetry, body.CancellationToken))
            {
                return;
            }

            if (SolvedBodies.Solve<RegistryPathDomain, RegistryFact>(
                    body, session, method, (graph, function, _) => new RegistryPathDomain(graph, symbols, function)) is { } solved)
            {
                Report(body, symbols, effects, solved);
            }
        });
    }

    private static bool CreatesDriverEntry(IOperation body, IoModeSymbols symbols, EngineTelemetry telemetry, System.Threading.CancellationToken cancellationToken)
    {
        // A DriverEntry takes two parameters: lambdas of other shapes (a query's `x => …`) are not looked at.
        if (!BodyLambdas.MayTake(body.Syntax, 2, telemetry, cancellationToken))
        {
            return false;
        }

        foreach (var lambda in BodyLambdas.SymbolsOf(body, telemetry, cancellationToken))
        {
            if (symbols.RegistryPathOf(lambda) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(
        OperationAnalysisContext context, IoModeSymbols symbols, ParameterEffectSummaries effects, SolvedBody<RegistryPathDomain, RegistryFact> body)
    {
        foreach (var function in body.Functions)
        {
            var domain = function.Domain;
            var driverEntry = domain.DriverEntry;
            function.Replay(
                (operation, state, _) =>
                {
                    switch (operation)
                    {
                        case ISimpleAssignmentOperation assignment when domain.Evaluate(assignment.Value, state) is { } kept &&
                                                                        !RegistryPathDomain.IsLocal(assignment.Target):
                            var copyFrom = kept == RegistryFact.Path && IoModeSymbols.Unwrap(assignment.Value) is IParameterReferenceOperation path
                                ? ImmutableDictionary<string, string?>.Empty.Add(CopyFromProperty, path.Parameter.Name)
                                : null;
                            ReportKept(context, assignment, driverEntry, kept, Describe(assignment.Target), properties: copyFrom);
                            break;
                        case IInvocationOperation call when !symbols.Api.IsDdi(call.TargetMethod):
                            var stores = effects.Get(call.TargetMethod, body.Options, context.CancellationToken).Stores;
                            foreach (var store in stores)
                            {
                                if (IoModeSymbols.Argument(call, store.Key)?.Value is { } argument && domain.Evaluate(argument, state) is { } passed)
                                {
                                    var target = store.Value is ISimpleAssignmentOperation inner ? Describe(inner.Target) : "a field";
                                    ReportKept(context, call, driverEntry, passed, target, store.Value.Syntax.GetLocation());
                                }
                            }

                            break;
                        case IParameterReferenceOperation reference when domain.IsCapturedRegistryPath(reference):
                            ReportKept(context, reference, reference.Parameter.ContainingSymbol.Name,
                                RegistryFact.Path, $"a callback created in DriverEntry (line {SourceLines.LineOf(reference.Syntax)}), which runs after it returned");
                            break;
                    }
                },
                context.CancellationToken);
        }
    }

    private static string Describe(IOperation target)
    {
        var text = IoModeSymbols.Unwrap(target).Syntax.ToString();
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    /// <summary>Reported where it is kept (the assignment, the helper's call, the callback's read); a helper's own store is an additional location.</summary>
    private static void ReportKept(
        OperationAnalysisContext context, IOperation at, string driverEntry, RegistryFact kept, string where, Location? inHelper = null,
        ImmutableDictionary<string, string?>? properties = null) =>
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.RegistryPathKept,
            at.Syntax.GetLocation(),
            inHelper is null ? null : new[] { inHelper },
            properties,
            $"'{driverEntry}'",
            kept == RegistryFact.Path ? "its RegistryPath" : "the buffer of its RegistryPath",
            where));

    /// <summary>What a location holds: DriverEntry's <c>RegistryPath</c>, or (a pointer into) its buffer.</summary>
    internal sealed class RegistryFact : System.IEquatable<RegistryFact>
    {
        public static readonly RegistryFact Path = new();

        public static readonly RegistryFact Buffer = new();

        public bool Equals(RegistryFact? other) => ReferenceEquals(this, other);
    }

    private sealed class RegistryLattice : MustLattice<RegistryFact>
    {
        public static readonly RegistryLattice Instance = new();

        protected override RegistryFact? JoinDifferent(RegistryFact left, RegistryFact right) => null;
    }

    /// <summary>Which locals hold DriverEntry's RegistryPath or its buffer, on every path.</summary>
    internal sealed class RegistryPathDomain : MustFactDomain<RegistryFact>
    {
        private readonly IoModeSymbols _symbols;
        private readonly IParameterSymbol? _registryPath;
        private readonly IMethodSymbol _function;

        public RegistryPathDomain(ControlFlowGraph graph, IoModeSymbols symbols, IMethodSymbol function)
            : base(graph, RegistryLattice.Instance)
        {
            _symbols = symbols;
            _function = function;
            _registryPath = symbols.RegistryPathOf(function);
        }

        /// <summary>The name of the DriverEntry this function is.</summary>
        public string DriverEntry => _function.MethodKind == MethodKind.AnonymousFunction ? "DriverEntry" : _function.Name;

        /// <summary>A local (or the function's own parameter): storage that dies with the function.</summary>
        public static bool IsLocal(IOperation target) =>
            IoModeSymbols.Unwrap(target) is ILocalReferenceOperation or IParameterReferenceOperation;

        /// <summary>
        /// True for a read, in a lambda or local function, of an enclosing DriverEntry's RegistryPath: the callback runs
        /// after DriverEntry returned (a function that is itself a DriverEntry reads its own).
        /// </summary>
        public bool IsCapturedRegistryPath(IParameterReferenceOperation reference) =>
            _registryPath is null &&
            !SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol, _function) &&
            reference.Parameter.ContainingSymbol is IMethodSymbol owner &&
            SymbolEqualityComparer.Default.Equals(_symbols.RegistryPathOf(owner), reference.Parameter);

        /// <summary>What <paramref name="value"/> is: the RegistryPath, its buffer (or an offset into it), or null.</summary>
        public RegistryFact? Evaluate(IOperation? value, FactMap<RegistryFact> state)
        {
            if (_registryPath is null)
            {
                return null;
            }

            var current = value;
            for (var depth = 0; current is not null && depth < 8; depth++)
            {
                current = IoModeSymbols.Unwrap(current);
                switch (current)
                {
                    case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter, _registryPath):
                        return RegistryFact.Path;
                    case ILocalReferenceOperation local:
                        return FactAt(state, TrackedLocation.ForSymbol(local.Local));
                    case IPropertyReferenceOperation { Property.Name: "Buffer", Instance: { } instance } property
                        when SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, _symbols.UnicodeString):
                        return Evaluate(instance, state) == RegistryFact.Path ? RegistryFact.Buffer : null;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary
                        when SymbolEqualityComparer.Default.Equals(binary.Type, _symbols.Api.Pvoid):
                        current = binary.LeftOperand;
                        continue;
                    default:
                        return null;
                }
            }

            return null;
        }

        protected override FactMap<RegistryFact> Step(FactMap<RegistryFact> facts, IOperation operation, BasicBlock? block)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment when IoModeSymbols.Unwrap(assignment.Target) is ILocalReferenceOperation local:
                    var location = TrackedLocation.ForSymbol(local.Local);
                    return Set(facts.Kill(location), location, Evaluate(assignment.Value, facts));
                case IAssignmentOperation assignment when IoModeSymbols.Unwrap(assignment.Target) is ILocalReferenceOperation local:
                    return facts.Kill(TrackedLocation.ForSymbol(local.Local));
                case IInvocationOperation call:
                    foreach (var argument in call.Arguments)
                    {
                        if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref &&
                            IoModeSymbols.Unwrap(argument.Value) is ILocalReferenceOperation written)
                        {
                            facts = facts.Kill(TrackedLocation.ForSymbol(written.Local));
                        }
                    }

                    return facts;
                default:
                    return facts;
            }
        }
    }
}
