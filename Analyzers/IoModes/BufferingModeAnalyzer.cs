using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// DRV044: <c>DEVICE_OBJECT.Flags</c> assigned (<c>=</c>, <c>|=</c>, <c>&amp;=</c>, <c>^=</c>) with a value that names
/// <c>DO_BUFFERED_IO</c> or <c>DO_DIRECT_IO</c> after the device object was set up: in code that handles IRPs (a
/// dispatch routine, <c>NTSTATUS (DEVICE_OBJECT, IRP)</c>, or any method, lambda or local function with an
/// <c>IRP</c> parameter), or, anywhere else, after <c>Flags &amp;= ~DO_DEVICE_INITIALIZING</c> on the same device
/// object on every path. A call of a helper whose body changes the flags of a DEVICE_OBJECT parameter (at its top
/// level) counts at the call. Add-device code (the runtime's <c>Action&lt;DEVICE_OBJECT&gt;</c>) sets the mode freely
/// before it clears <c>DO_DEVICE_INITIALIZING</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BufferingModeAnalyzer : DriverApiAnalyzer
{
    private const string Flags = nameof(Flags);
    private const string DO_BUFFERED_IO = nameof(DO_BUFFERED_IO);
    private const string DO_DIRECT_IO = nameof(DO_DIRECT_IO);
    private const string DO_DEVICE_INITIALIZING = nameof(DO_DEVICE_INITIALIZING);

    public BufferingModeAnalyzer()
        : base(Descriptors.BufferingModeChangedAfterSetup)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api) =>
        IoModeAnalysis.RegisterMethodBodies(context, api, s => s.DeviceObject is not null, AnalyzeBody);

    private static void AnalyzeBody(OperationAnalysisContext context, IoModeSymbols symbols)
    {
        if (!ChangesBufferingFlags(context.Operation, symbols, context.CancellationToken))
        {
            return;
        }

        foreach (var (graph, function) in FunctionGraphs.All(context.GetControlFlowGraph(), context.ContainingSymbol as IMethodSymbol, context.CancellationToken))
        {
            var owner = function;
            var handlesIrps = owner is not null && HasIrpParameter(owner, symbols);
            var domain = new DeviceSetupDomain(graph, symbols);
            domain.Replay(
                (operation, state, _) =>
                {
                    if (operation is IInvocationOperation call)
                    {
                        CheckHelperCall(context, symbols, call, owner, handlesIrps, state);
                        return;
                    }

                    if (operation is not IAssignmentOperation assignment ||
                        !IsFlags(assignment.Target, symbols, out var device) ||
                        BufferingFlagsNamed(assignment.Value, symbols.Api) is not { Length: > 0 } named)
                    {
                        return;
                    }

                    var change = Describe(assignment, named);
                    var deviceText = device?.Syntax.ToString() ?? "DEVICE_OBJECT";
                    if (handlesIrps)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.BufferingModeChangedAfterSetup,
                            assignment.Syntax.GetLocation(),
                            change,
                            deviceText,
                            $"in '{owner!.Name}', which handles IRPs and so runs after the device object was set up"));
                    }
                    else if (DeviceSetupDomain.KeyOf(device) is { } key && state.Get(key) is { } initialized)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.BufferingModeChangedAfterSetup,
                            assignment.Syntax.GetLocation(),
                            new[] { initialized.Clear.Syntax.GetLocation() },
                            change,
                            deviceText,
                            $"after DO_DEVICE_INITIALIZING was cleared at line {SourceLines.LineOf(initialized.Clear.Syntax)}"));
                    }
                },
                context.CancellationToken);
        }
    }

    /// <summary>A helper that changes the buffering flags of a device object it is given counts at the call.</summary>
    private static void CheckHelperCall(
        OperationAnalysisContext context, IoModeSymbols symbols, IInvocationOperation call, IMethodSymbol? owner,
        bool handlesIrps, FactMap<Initialized> state)
    {
        // A helper that handles IRPs itself is reported inside, once.
        if (symbols.Api.IsDdi(call.TargetMethod) || !PassesDevice(call, symbols) || HasIrpParameter(call.TargetMethod, symbols))
        {
            return;
        }

        foreach (var change in symbols.Helpers.Get(call.TargetMethod, context.CancellationToken).FlagChanges)
        {
            var device = IoModeSymbols.Argument(call, change.Key)?.Value;
            if (device is null)
            {
                continue;
            }

            var what = Describe((IAssignmentOperation)change.Value.Assignment, change.Value.Flags) +
                       $" (in '{call.TargetMethod.Name}', line {SourceLines.LineOf(change.Value.Assignment.Syntax)})";
            var deviceText = IoModeSymbols.Unwrap(device).Syntax.ToString();
            if (handlesIrps)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.BufferingModeChangedAfterSetup,
                    call.Syntax.GetLocation(),
                    what,
                    deviceText,
                    $"in '{owner!.Name}', which handles IRPs and so runs after the device object was set up"));
            }
            else if (DeviceSetupDomain.KeyOf(device) is { } key && state.Get(key) is { } initialized)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.BufferingModeChangedAfterSetup,
                    call.Syntax.GetLocation(),
                    new[] { initialized.Clear.Syntax.GetLocation() },
                    what,
                    deviceText,
                    $"after DO_DEVICE_INITIALIZING was cleared at line {SourceLines.LineOf(initialized.Clear.Syntax)}"));
            }
        }
    }

    private static bool PassesDevice(IInvocationOperation call, IoModeSymbols symbols)
    {
        foreach (var argument in call.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Value.Type, symbols.DeviceObject))
            {
                return true;
            }
        }

        return false;
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

    private static bool ChangesBufferingFlags(IOperation body, IoModeSymbols symbols, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IAssignmentOperation assignment && IsFlags(assignment.Target, symbols, out _) &&
                BufferingFlagsNamed(assignment.Value, symbols.Api).Length > 0)
            {
                return true;
            }

            if (operation is IInvocationOperation call && !symbols.Api.IsDdi(call.TargetMethod) && PassesDevice(call, symbols) &&
                symbols.Helpers.Get(call.TargetMethod, cancellationToken).FlagChanges.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="target"/> is <c>X.Flags</c> of a <c>DEVICE_OBJECT</c>; <paramref name="device"/> is X.</summary>
    internal static bool IsFlags(IOperation target, IoModeSymbols symbols, out IOperation? device)
    {
        device = null;
        if (target is IPropertyReferenceOperation property &&
            IoModeSymbols.IsProperty(property.Property, symbols.DeviceObject, Flags))
        {
            device = property.Instance;
            return true;
        }

        return false;
    }

    /// <summary>"DO_BUFFERED_IO", "DO_DIRECT_IO", both joined with '/', or empty: the buffering constants named in <paramref name="value"/>.</summary>
    internal static string BufferingFlagsNamed(IOperation value, DriverApi api)
    {
        var buffered = NamesConstant(value, api, DO_BUFFERED_IO);
        var direct = NamesConstant(value, api, DO_DIRECT_IO);
        return buffered && direct ? DO_BUFFERED_IO + "/" + DO_DIRECT_IO
            : buffered ? DO_BUFFERED_IO
            : direct ? DO_DIRECT_IO
            : string.Empty;
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

    internal static bool NamesConstant(IOperation value, DriverApi api, string name)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IFieldReferenceOperation field && api.IsConstant(field.Field, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A device object whose <c>DO_DEVICE_INITIALIZING</c> was cleared on every path.</summary>
    private sealed class Initialized : System.IEquatable<Initialized>
    {
        public Initialized(IOperation clear) => Clear = clear;

        public IOperation Clear { get; }

        public bool Equals(Initialized? other) => other is not null && ReferenceEquals(other.Clear, Clear);

        public override bool Equals(object? obj) => Equals(obj as Initialized);

        public override int GetHashCode() => Clear.GetHashCode();
    }

    /// <summary>Which device objects (locals, parameters, fields) have had <c>DO_DEVICE_INITIALIZING</c> cleared.</summary>
    private sealed class DeviceSetupDomain : FactFlowDomain<Initialized>
    {
        private readonly IoModeSymbols _symbols;

        public DeviceSetupDomain(ControlFlowGraph graph, IoModeSymbols symbols)
            : base(graph) => _symbols = symbols;

        /// <summary>The local, parameter or field that holds the device object, or null.</summary>
        public static ISymbol? KeyOf(IOperation? device) =>
            device is null ? null
            : IoModeSymbols.VariableOf(device) ?? (IoModeSymbols.Unwrap(device) as IFieldReferenceOperation)?.Field;

        protected override Initialized? JoinFacts(Initialized left, Initialized right) =>
            left.Clear.Syntax.SpanStart <= right.Clear.Syntax.SpanStart ? left : right;

        protected override FactMap<Initialized> Step(FactMap<Initialized> state, IOperation operation, BasicBlock? block)
        {
            if (operation is not IAssignmentOperation assignment)
            {
                return state;
            }

            if (IsFlags(assignment.Target, _symbols, out var device))
            {
                // Flags &= ~DO_DEVICE_INITIALIZING, or Flags = ... & ~DO_DEVICE_INITIALIZING
                var clears = ClearsInitializing(assignment);
                var key = KeyOf(device);
                return key is null ? state : clears ? state.Set(key, new Initialized(assignment)) : state;
            }

            // A device variable given another device object.
            var variable = KeyOf(assignment.Target);
            return variable is null ? state : state.Remove(variable);
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
                    NamesConstant(negation.Operand, _symbols.Api, DO_DEVICE_INITIALIZING))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
