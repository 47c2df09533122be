using System.Collections.Immutable;
using System.Text;
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
/// DRV044, WDM's form: <c>DEVICE_OBJECT.Flags</c> assigned (<c>=</c>, <c>|=</c>, <c>&amp;=</c>, <c>^=</c>) with a value that
/// names <c>DO_BUFFERED_IO</c> or <c>DO_DIRECT_IO</c> after the device object was set up: in code that handles IRPs (a
/// dispatch routine, <c>NTSTATUS (DEVICE_OBJECT, IRP)</c>, or any method, lambda or local function with an <c>IRP</c>
/// parameter), or, anywhere else, after <c>Flags &amp;= ~DO_DEVICE_INITIALIZING</c> on the same device object on every
/// path. Add-device code sets the mode freely before it clears <c>DO_DEVICE_INITIALIZING</c>.
/// WDF's form: <c>WdfDeviceInitSetIoType</c>, or any DDI that uses a <c>WDFDEVICE_INIT</c>, on a <c>DeviceInit</c> that
/// <c>WdfDeviceCreate</c> consumed on every path (KMDF frees it; SDV's DeviceInitAPI).
/// A call of a helper that does either to what it is given (at its top level, <c>driverbuffers.helper_depth</c> levels)
/// counts at the call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BufferingModeAnalyzer : DriverApiAnalyzer
{
    private const string DO_DEVICE_INITIALIZING = nameof(DO_DEVICE_INITIALIZING);

    /// <summary>The pre-filter of bodies that take no setup object: <see cref="MayMention"/>.</summary>
    private static readonly NameScreen Screen = new(MayMention);

    public BufferingModeAnalyzer()
        : base(Descriptors.BufferingModeChangedAfterSetup)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var symbols = IoModeSymbols.For(session);
        if (symbols.DeviceObject is null && symbols.DeviceInit is null)
        {
            return;
        }

        var effects = ParameterEffectSummaries.For(session);
        SolvedBodies.RegisterMethodBodies(context, (body, method) =>
        {
            // Flags (a DEVICE_OBJECT's), WdfDeviceCreate, or a device object or DeviceInit given to a helper: confirmed by symbol.
            if (!TakesSetupObject(method, symbols) && !Screen.Passes(body.Operation.Syntax, session.Telemetry, body.CancellationToken))
            {
                return;
            }

            var options = AnalysisSession.Options(body.Options, body.Operation.Syntax.SyntaxTree);
            if (MayChangeSetup(body.Operation, symbols, session.Catalog, effects, options, body.CancellationToken) &&
                SolvedBodies.Solve<DeviceSetupDomain, SetupFact>(
                    body, session, method, (graph, _, _) => new DeviceSetupDomain(graph, symbols, session.Catalog)) is { } solved)
            {
                Report(body, symbols, effects, solved);
            }
        });
    }

    private static void Report(
        OperationAnalysisContext context, IoModeSymbols symbols, ParameterEffectSummaries effects, SolvedBody<DeviceSetupDomain, SetupFact> body)
    {
        foreach (var function in body.Functions)
        {
            var handlesIrps = HasIrpParameter(function.Symbol, symbols);
            var domain = function.Domain;
            function.Replay(
                (operation, state, _) =>
                {
                    if (operation is IInvocationOperation call)
                    {
                        CheckCall(context, symbols, effects, body.Options, domain, call, function.Symbol, handlesIrps, state);
                        return;
                    }

                    if (operation is not IAssignmentOperation assignment ||
                        !BufferingFlags.IsFlags(assignment.Target, symbols, out var device) ||
                        BufferingFlags.Named(assignment.Value, symbols.Api) is not { Length: > 0 } named)
                    {
                        return;
                    }

                    ReportFlags(context, domain, assignment, Describe(assignment, named), device, function.Symbol, handlesIrps, state);
                },
                context.CancellationToken);
        }
    }

    private static bool TakesSetupObject(IMethodSymbol method, IoModeSymbols symbols)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.DeviceObject) ||
                SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.DeviceInit))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayMention(string name) =>
        name is "Flags" or "DEVICE_OBJECT" or "WDFDEVICE_INIT" or "IoCreateDevice" ||
        (DdiNames.RolesOfName(name) & DdiRole.CreatesDevice) != 0;

    private static void ReportFlags(
        OperationAnalysisContext context, DeviceSetupDomain domain, IOperation at, string change, IOperation? device,
        IMethodSymbol owner, bool handlesIrps, FactMap<SetupFact> state)
    {
        var deviceText = device is null ? "DEVICE_OBJECT" : IoModeSymbols.Unwrap(device).Syntax.ToString();
        if (handlesIrps)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.BufferingModeChangedAfterSetup,
                at.Syntax.GetLocation(),
                change,
                deviceText,
                $"in '{owner.Name}', which handles IRPs and so runs after the device object was set up"));
        }
        else if (DeviceSetupDomain.FactAt(state, domain.LocationOf(device)) is { Kind: SetupKind.Initialized } initialized)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.BufferingModeChangedAfterSetup,
                at.Syntax.GetLocation(),
                new[] { initialized.At.Syntax.GetLocation() },
                change,
                deviceText,
                $"after DO_DEVICE_INITIALIZING was cleared at line {SourceLines.LineOf(initialized.At.Syntax)}"));
        }
    }

    private static void ReportDeviceInit(
        OperationAnalysisContext context, IOperation at, string what, IOperation init, SetupFact consumed)
    {
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.BufferingModeChangedAfterSetup,
            at.Syntax.GetLocation(),
            new[] { consumed.At.Syntax.GetLocation() },
            what,
            IoModeSymbols.Unwrap(init).Syntax.ToString(),
            $"after WdfDeviceCreate consumed it at line {SourceLines.LineOf(consumed.At.Syntax)} (KMDF frees the WDFDEVICE_INIT: configure the device before creating it)"));
    }

    /// <summary>A DDI on a consumed <c>WDFDEVICE_INIT</c>, or a helper that changes the flags of (or configures) what it is given.</summary>
    private static void CheckCall(
        OperationAnalysisContext context, IoModeSymbols symbols, ParameterEffectSummaries effects, EngineOptions options,
        DeviceSetupDomain domain, IInvocationOperation call, IMethodSymbol owner, bool handlesIrps, FactMap<SetupFact> state)
    {
        if (symbols.UsesDeviceInit(call, out var init))
        {
            if (init is not null && DeviceSetupDomain.FactAt(state, domain.LocationOf(init.Value)) is { Kind: SetupKind.Consumed } consumed)
            {
                ReportDeviceInit(context, call, "A call of " + call.TargetMethod.Name, init.Value, consumed);
            }

            return;
        }

        // A helper that handles IRPs itself is reported inside, once.
        if (symbols.Api.IsDdi(call.TargetMethod) || HasIrpParameter(call.TargetMethod, symbols))
        {
            return;
        }

        var summary = effects.Get(call.TargetMethod, options, context.CancellationToken);
        foreach (var change in summary.FlagChanges)
        {
            if (IoModeSymbols.Argument(call, change.Key)?.Value is { } device)
            {
                var what = Describe((IAssignmentOperation)change.Value.Assignment, change.Value.Flags) +
                           $" (in '{call.TargetMethod.Name}', line {SourceLines.LineOf(change.Value.Assignment.Syntax)})";
                ReportFlags(context, domain, call, what, device, owner, handlesIrps, state);
            }
        }

        foreach (var use in summary.DeviceInitUses)
        {
            if (IoModeSymbols.Argument(call, use.Key)?.Value is { } passed &&
                DeviceSetupDomain.FactAt(state, domain.LocationOf(passed)) is { Kind: SetupKind.Consumed } consumed)
            {
                var what = $"A call of {use.Value.TargetMethod.Name} (in '{call.TargetMethod.Name}', line {SourceLines.LineOf(use.Value.Syntax)})";
                ReportDeviceInit(context, call, what, passed, consumed);
            }
        }
    }

    private static bool HasIrpParameter(IMethodSymbol method, IoModeSymbols symbols)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.Irp))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The cheap test before a graph: the body changes buffering flags, uses a WDFDEVICE_INIT, or calls a helper that does.</summary>
    private static bool MayChangeSetup(
        IOperation body, IoModeSymbols symbols, DdiCatalog catalog, ParameterEffectSummaries effects, EngineOptions options,
        System.Threading.CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is IAssignmentOperation assignment && BufferingFlags.IsFlags(assignment.Target, symbols, out _) &&
                BufferingFlags.Named(assignment.Value, symbols.Api).Length > 0)
            {
                return true;
            }

            if (operation is IInvocationOperation call)
            {
                if (symbols.Api.IsDdi(call.TargetMethod))
                {
                    // Only a WdfDeviceCreate makes a later DeviceInit call a finding.
                    if (catalog.Has(call.TargetMethod, DdiRole.CreatesDevice))
                    {
                        return true;
                    }
                }
                else if (PassesSetupObject(call, symbols) &&
                         effects.Get(call.TargetMethod, options, cancellationToken) is { } summary &&
                         (summary.FlagChanges.Count > 0 || summary.DeviceInitUses.Count > 0))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool PassesSetupObject(IInvocationOperation call, IoModeSymbols symbols)
    {
        foreach (var argument in call.Arguments)
        {
            var type = argument.Value.Type;
            if (SymbolEqualityComparer.Default.Equals(type, symbols.DeviceObject) || SymbolEqualityComparer.Default.Equals(type, symbols.DeviceInit))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"Setting DO_DIRECT_IO" (|=), "Clearing DO_BUFFERED_IO" (&amp;= ~), else "Changing ...".</summary>
    private static string Describe(IAssignmentOperation assignment, string named)
    {
        var verb = assignment switch
        {
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Or } => "Setting ",
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.And } => "Clearing ",
            _ => "Changing ",
        };
        return new StringBuilder(verb).Append(named).ToString();
    }

    private enum SetupKind
    {
        /// <summary>A device object whose <c>DO_DEVICE_INITIALIZING</c> was cleared.</summary>
        Initialized,

        /// <summary>A <c>WDFDEVICE_INIT</c> that <c>WdfDeviceCreate</c> consumed.</summary>
        Consumed,
    }

    /// <summary>A device object set up, or a <c>WDFDEVICE_INIT</c> consumed, on every path: where it happened.</summary>
    private sealed class SetupFact : System.IEquatable<SetupFact>
    {
        public SetupFact(SetupKind kind, IOperation at)
        {
            Kind = kind;
            At = at;
        }

        public SetupKind Kind { get; }

        public IOperation At { get; }

        public bool Equals(SetupFact? other) => other is not null && other.Kind == Kind && ReferenceEquals(other.At, At);

        public override bool Equals(object? obj) => Equals(obj as SetupFact);

        public override int GetHashCode() => At.GetHashCode();
    }

    private sealed class SetupLattice : MustLattice<SetupFact>
    {
        public static readonly SetupLattice Instance = new();

        protected override SetupFact? JoinDifferent(SetupFact left, SetupFact right) =>
            left.Kind != right.Kind ? null : left.At.Syntax.SpanStart <= right.At.Syntax.SpanStart ? left : right;
    }

    /// <summary>Which device objects have had <c>DO_DEVICE_INITIALIZING</c> cleared, which <c>WDFDEVICE_INIT</c>s were consumed.</summary>
    private sealed class DeviceSetupDomain : MustFactDomain<SetupFact>
    {
        private readonly IoModeSymbols _symbols;
        private readonly DdiCatalog _catalog;

        public DeviceSetupDomain(ControlFlowGraph graph, IoModeSymbols symbols, DdiCatalog catalog)
            : base(graph, SetupLattice.Instance)
        {
            _symbols = symbols;
            _catalog = catalog;
        }

        /// <summary>The local, parameter, field or context path that holds the object, or null.</summary>
        public TrackedLocation? LocationOf(IOperation? operation) =>
            operation is null ? null : TrackedLocation.TryCreate(IoModeSymbols.Unwrap(operation), _catalog.ContextTypes);

        protected override FactMap<SetupFact> Step(FactMap<SetupFact> state, IOperation operation, BasicBlock? block)
        {
            if (operation is IInvocationOperation call)
            {
                // WdfDeviceCreate(ref DeviceInit, ...): the WDFDEVICE_INIT is consumed, whatever the status.
                if (_catalog.Has(call.TargetMethod, DdiRole.CreatesDevice) && _symbols.UsesDeviceInit(call, out var init) &&
                    LocationOf(init?.Value) is { } consumed)
                {
                    return Set(state.KillDependents(consumed), consumed, new SetupFact(SetupKind.Consumed, call));
                }

                foreach (var argument in call.Arguments)
                {
                    if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && LocationOf(argument.Value) is { } written)
                    {
                        state = state.Kill(written);
                    }
                }

                return state;
            }

            if (operation is not IAssignmentOperation assignment)
            {
                return state;
            }

            if (BufferingFlags.IsFlags(assignment.Target, _symbols, out var device))
            {
                // Flags &= ~DO_DEVICE_INITIALIZING, or Flags = ... & ~DO_DEVICE_INITIALIZING
                return ClearsInitializing(assignment) && LocationOf(device) is { } location
                    ? Set(state, location, new SetupFact(SetupKind.Initialized, assignment))
                    : state;
            }

            // A variable given another object.
            return LocationOf(assignment.Target) is { } target ? state.Kill(target) : state;
        }

        private bool ClearsInitializing(IAssignmentOperation assignment)
        {
            var value = assignment.Value;
            var isAnd = assignment is ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.And } ||
                        (assignment is ISimpleAssignmentOperation &&
                         IoModeSymbols.Unwrap(value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.And });
            if (!isAnd)
            {
                return false;
            }

            foreach (var operation in value.DescendantsAndSelf())
            {
                if (operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation } negation &&
                    BufferingFlags.NamesConstant(negation.Operand, _symbols.Api, DO_DEVICE_INITIALIZING))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
