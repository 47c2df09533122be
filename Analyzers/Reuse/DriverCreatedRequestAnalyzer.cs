using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>
/// DRV010–DRV013, the rules of driver-created requests (<c>WdfRequestCreate</c>), on one dataflow over each
/// body: a request completed while a driver-created request still references its memory (DRV010); a
/// driver-created request formatted or sent again without <c>WdfRequestReuse</c> (DRV011); a reused request
/// sent without its completion routine (DRV012); a driver-created request completed instead of deleted (DRV013).
/// Completion routines (a method group, lambda or local function registered with
/// <c>WdfRequestSetCompletionRoutine</c> on a driver-created request) start with their request formatted and sent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DriverCreatedRequestAnalyzer : DriverApiAnalyzer
{
    /// <summary>Diagnostic property: the driver-created request as it can be written where the finding is.</summary>
    public const string RequestProperty = "Request";

    /// <summary>DRV012 property: the completion routine to set again.</summary>
    public const string RoutineProperty = "Routine";

    /// <summary>DRV012 property: the completion context to set again.</summary>
    public const string ContextProperty = "Context";

    /// <summary>How deep lambdas and local functions nest before the analysis stops following them.</summary>
    private const int MaxNestedDepth = 8;

    public DriverCreatedRequestAnalyzer()
        : base(
            Descriptors.MissingReuseBeforeCompletion,
            Descriptors.ReformatWithoutReuse,
            Descriptors.ReusedRequestWithoutCompletionRoutine,
            Descriptors.DriverCreatedRequestCompleted)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api) =>
        context.RegisterOperationBlockAction(block => AnalyzeBlock(block, api));

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, DriverApi api)
    {
        if (context.OwningSymbol is not IMethodSymbol owner)
        {
            return;
        }

        foreach (var block in context.OperationBlocks)
        {
            if (block is not (IBlockOperation or IMethodBodyOperation or IConstructorBodyOperation))
            {
                continue;
            }

            var mentionsDdi = MentionsReuseDdi(block.Syntax);
            var model = ReuseModel.Get(context.Compilation, api, context.CancellationToken);
            RoutineContext? routine = null;
            if (model.RoutineRegistration(owner) is { } registration)
            {
                var alias = registration.RequestSymbol is IFieldSymbol or IPropertySymbol ? registration.RequestSymbol : null;
                routine = RoutineContext.ForMethod(
                    owner, alias, owner.MethodKind == MethodKind.Ordinary ? owner.Name : null, model.RoutineMayHoldForeignMemory(owner));
            }

            if (!mentionsDdi && routine is null)
            {
                continue;
            }

            ControlFlowGraph cfg;
            try
            {
                cfg = context.GetControlFlowGraph(block);
            }
            catch (ArgumentException)
            {
                continue; // not a body with a control flow graph (invalid code)
            }

            var depth = HelperSummaries.DefaultDepth;
            if (context.Options.AnalyzerConfigOptionsProvider.GetOptions(block.Syntax.SyntaxTree)
                    .TryGetValue(HelperSummaries.DepthOption, out var configured) &&
                int.TryParse(configured, out var parsed))
            {
                depth = Math.Max(0, Math.Min(parsed, 8));
            }

            var body = new BodyAnalysis(api, model, owner, ReuseBodyFacts.Collect(block, api, model), depth, context.ReportDiagnostic, context.CancellationToken);
            body.Run(cfg, routine);
        }
    }

    /// <summary>The cheap pre-filter: the body calls one of the DDIs by name (checked by symbol later).</summary>
    private static bool MentionsReuseDdi(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax invocation)
            {
                var name = invocation.Expression switch
                {
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    _ => null,
                };
                if (name is not null && Array.IndexOf(ReuseDdis.InterestingNames, name) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The analysis of one member body and the lambdas and local functions in it.</summary>
    private sealed class BodyAnalysis
    {
        private readonly DriverApi _api;
        private readonly ReuseModel _model;
        private readonly IMethodSymbol _owner;
        private readonly ReuseBodyFacts _facts;
        private readonly int _helperDepth;
        private readonly Action<Diagnostic> _report;
        private readonly CancellationToken _cancellationToken;

        public BodyAnalysis(
            DriverApi api, ReuseModel model, IMethodSymbol owner, ReuseBodyFacts facts, int helperDepth,
            Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            _helperDepth = helperDepth;
            _api = api;
            _model = model;
            _owner = owner;
            _facts = facts;
            _report = report;
            _cancellationToken = cancellationToken;
        }

        public void Run(ControlFlowGraph root, RoutineContext? rootRoutine)
        {
            var work = new Stack<(ControlFlowGraph Graph, RoutineContext? Routine, int Depth)>();
            work.Push((root, rootRoutine, 0));
            while (work.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var (graph, routine, depth) = work.Pop();
                var lambdaRoutines = new Dictionary<IFlowAnonymousFunctionOperation, RoutineContext>();
                var localRoutines = new Dictionary<IMethodSymbol, RoutineContext>(SymbolEqualityComparer.Default);
                var lambdas = new List<IFlowAnonymousFunctionOperation>();
                if (!Analyze(graph, routine, lambdas, lambdaRoutines, localRoutines) || depth >= MaxNestedDepth)
                {
                    continue;
                }

                foreach (var lambda in lambdas)
                {
                    lambdaRoutines.TryGetValue(lambda, out var lambdaRoutine);
                    work.Push((graph.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken), lambdaRoutine, depth + 1));
                }

                foreach (var localFunction in graph.LocalFunctions)
                {
                    if (!localRoutines.TryGetValue(localFunction, out var localRoutine) &&
                        _model.RoutineRegistration(localFunction) is { } registration)
                    {
                        localRoutine = RoutineContext.ForMethod(
                            localFunction, registration.RequestSymbol, localFunction.Name, _model.RoutineMayHoldForeignMemory(localFunction));
                    }

                    work.Push((graph.GetLocalFunctionControlFlowGraph(localFunction, _cancellationToken), localRoutine, depth + 1));
                }
            }
        }

        /// <summary>Solves one body and reports in the replay; false when the solver did not converge.</summary>
        private bool Analyze(
            ControlFlowGraph graph, RoutineContext? routine, List<IFlowAnonymousFunctionOperation> lambdas,
            Dictionary<IFlowAnonymousFunctionOperation, RoutineContext> lambdaRoutines,
            Dictionary<IMethodSymbol, RoutineContext> localRoutines)
        {
            var entry = routine is null ? ReuseState.Empty : ReuseState.Empty.With(routine.Key, RequestFacts.RoutineEntry(routine.HoldsReference));
            var domain = new ReuseDomain(_api, _model, _owner, routine, entry, _helperDepth, _cancellationToken);
            var result = ForwardDataflow.Solve(graph, domain, _cancellationToken);
            if (!result.Converged)
            {
                return false;
            }

            result.Replay((rootOperation, stateBefore) =>
            {
                var state = stateBefore;
                foreach (var operation in OperationOrder.PostOrder(rootOperation))
                {
                    if (operation is IFlowAnonymousFunctionOperation lambda)
                    {
                        lambdas.Add(lambda);
                    }
                    else if (operation is IInvocationOperation invocation)
                    {
                        Check(domain, state, invocation, lambdaRoutines, localRoutines);
                    }

                    state = domain.Step(state, operation);
                }
            }, _cancellationToken);
            return true;
        }

        private void Check(
            ReuseDomain domain, ReuseState state, IInvocationOperation invocation,
            Dictionary<IFlowAnonymousFunctionOperation, RoutineContext> lambdaRoutines,
            Dictionary<IMethodSymbol, RoutineContext> localRoutines)
        {
            var method = invocation.TargetMethod;
            if (!_api.IsDdi(method))
            {
                CheckHelper(domain, state, invocation);
                return;
            }

            var requestArgument = ReuseDdis.RequestArgument(invocation);
            var key = domain.KeyOf(requestArgument);
            var facts = key is { } k ? domain.FactsOf(state, k) : null;

            if (ReuseDdis.IsCompletion(_api, method))
            {
                if (facts is not null)
                {
                    Report(Descriptors.DriverCreatedRequestCompleted, invocation, null, null, Text(requestArgument), method.Name);
                }
                else
                {
                    CheckMissingReuse(domain, state, invocation, Text(requestArgument), key);
                }

                return;
            }

            if (key is not { } request || facts is null)
            {
                return;
            }

            var isSend = _api.IsWdf(method, ReuseDdis.WdfRequestSend);
            if (ReuseDdis.IsFormat(_api, method) || ReuseDdis.IsSynchronousSend(_api, method) || isSend)
            {
                if (facts.Sent)
                {
                    var how = ReuseDdis.IsFormat(_api, method) ? "formatted" : "sent";
                    Report(Descriptors.ReformatWithoutReuse, invocation, facts.Send, Properties(Text(requestArgument), null, null),
                        Text(requestArgument), how, method.Name, SentText(facts));
                }
                else if (isSend && facts.RoutineCleared && RoutineKnown(request, facts) &&
                         !_facts.IsSynchronous(ReuseDdis.Argument(invocation, "Options", 2)?.Value))
                {
                    var (routineText, contextText) = RoutineToSetAgain(domain, request, facts);
                    Report(Descriptors.ReusedRequestWithoutCompletionRoutine, invocation, facts.Reuse,
                        Properties(Text(requestArgument), routineText, contextText),
                        Text(requestArgument), Line(facts.Reuse));
                }

                return;
            }

            if (_api.IsWdf(method, ReuseDdis.WdfRequestSetCompletionRoutine))
            {
                var routineArgument = OperationUnwrap.Unwrap(ReuseDdis.Argument(invocation, "CompletionRoutine", 1)?.Value);
                if (routineArgument is IDelegateCreationOperation creation)
                {
                    routineArgument = OperationUnwrap.Unwrap(creation.Target);
                }

                // The routine's request holds foreign memory unless it is known to be formatted with memory the driver owns.
                var holds = !(facts.HoldsReference && facts.Format is { } format && !MayHoldMemoryOf(domain, format, null));
                if (routineArgument is IFlowAnonymousFunctionOperation lambda &&
                    RoutineContext.ForMethod(lambda.Symbol, request.Symbol, null, holds) is { } lambdaRoutine &&
                    !lambdaRoutines.ContainsKey(lambda))
                {
                    lambdaRoutines[lambda] = lambdaRoutine;
                }
                else if (routineArgument is IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference &&
                         RoutineContext.ForMethod(reference.Method, request.Symbol, reference.Method.Name, holds) is { } localRoutine &&
                         !localRoutines.ContainsKey(reference.Method.OriginalDefinition))
                {
                    localRoutines[reference.Method.OriginalDefinition] = localRoutine;
                }
            }
        }

        /// <summary>A call of a helper that completes, formats or sends what it is given counts at the call.</summary>
        private void CheckHelper(ReuseDomain domain, ReuseState state, IInvocationOperation call)
        {
            if (_helperDepth <= 0 || call.TargetMethod.DeclaringSyntaxReferences.IsEmpty)
            {
                return;
            }

            foreach (var argument in call.Arguments)
            {
                var effect = domain.EffectOn(call, argument);
                if (effect == HelperEffect.None)
                {
                    continue;
                }

                var key = domain.KeyOf(argument.Value);
                var facts = key is { } k ? domain.FactsOf(state, k) : null;
                if ((effect & HelperEffect.Completes) != 0)
                {
                    if (facts is not null)
                    {
                        Report(Descriptors.DriverCreatedRequestCompleted, call, null, null, Text(argument.Value), call.TargetMethod.Name);
                    }
                    else
                    {
                        CheckMissingReuse(domain, state, call, Text(argument.Value), key);
                    }
                }
                else if (facts is { Sent: true } && (effect & HelperEffect.Reuses) == 0 &&
                         (effect & (HelperEffect.Formats | HelperEffect.Sends)) != 0)
                {
                    var how = (effect & HelperEffect.Formats) != 0 ? "formatted" : "sent";
                    Report(Descriptors.ReformatWithoutReuse, call, facts.Send, Properties(Text(argument.Value), null, null),
                        Text(argument.Value), how, call.TargetMethod.Name, SentText(facts));
                }
            }

            // A parameterless helper that completes the request kept in a field (the pending original).
            foreach (var pair in domain.MemberEffectsOf(call))
            {
                if ((pair.Value & HelperEffect.Completes) != 0 && domain.FactsOf(state, domain.Canonical(pair.Key)) is null)
                {
                    CheckMissingReuse(domain, state, call, pair.Key.Name, null);
                }
            }
        }

        /// <summary>DRV010: another request completed while a driver-created request holds a reference on memory that may be its.</summary>
        private void CheckMissingReuse(
            ReuseDomain domain, ReuseState state, IInvocationOperation completion, string completedText, RequestKey? completed)
        {
            if (state.Requests is null)
            {
                return;
            }

            (RequestKey Key, RequestFacts Facts)? holder = null;
            foreach (var pair in state.Requests)
            {
                var facts = pair.Value;
                if (!facts.HoldsReference || (completed is { } c && c.Equals(pair.Key)))
                {
                    continue;
                }

                if (facts.Format is { } format && !MayHoldMemoryOf(domain, format, completed))
                {
                    continue;
                }

                if (holder is null || Order(pair.Key, facts) < Order(holder.Value.Key, holder.Value.Facts))
                {
                    holder = (pair.Key, facts);
                }
            }

            if (holder is not { } found)
            {
                return;
            }

            var requestText = RequestText(domain, found.Key, found.Facts);
            string formatted;
            if (found.Facts.Format is { } formatOperation)
            {
                var memory = domain.FormatMemory(formatOperation);
                formatted = $"formatted with '{(memory.Count > 0 ? Text(memory[0]) : "?")}' at line {Line(formatOperation)}";
            }
            else
            {
                formatted = "formatted before it was sent; this is its completion routine";
            }

            Report(Descriptors.MissingReuseBeforeCompletion, completion, found.Facts.Format, Properties(requestText, null, null),
                completedText, completion.TargetMethod.Name, requestText, formatted);
        }

        private bool MayHoldMemoryOf(ReuseDomain domain, IInvocationOperation format, RequestKey? completed)
        {
            foreach (var memory in domain.FormatMemory(format))
            {
                if (_facts.MayBelongTo(memory, completed))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A deterministic order among candidates: the earliest format, then the name.</summary>
        private static long Order(RequestKey key, RequestFacts facts) =>
            ((long)(facts.Format?.Syntax.SpanStart ?? -1) << 20) + (StringComparer.Ordinal.GetHashCode(key.ToString()) & 0xFFFFF);

        private bool RoutineKnown(RequestKey request, RequestFacts facts) =>
            facts.RoutineSet || (request.IsField && _model.RoutineOfMember(request.Symbol.OriginalDefinition) is not null);

        /// <summary>The routine and context of the last <c>WdfRequestSetCompletionRoutine</c> on the request, as text valid here.</summary>
        private (string? Routine, string? Context) RoutineToSetAgain(ReuseDomain domain, RequestKey request, RequestFacts facts)
        {
            if (facts.LastRoutine is { } last)
            {
                return (Text(ReuseDdis.Argument(last, "CompletionRoutine", 1)?.Value),
                        Text(ReuseDdis.Argument(last, "CompletionContext", 2)?.Value));
            }

            if (domain.Routine is { } routine && request.Equals(routine.Key))
            {
                return routine.RoutineName is null ? (null, null) : (routine.RoutineName, routine.Context?.Name ?? "WDF_NO_CONTEXT");
            }

            if (request.IsField && _model.RoutineOfMember(request.Symbol.OriginalDefinition) is { } registration &&
                registration.Routine is { MethodKind: MethodKind.Ordinary } routineMethod &&
                SymbolEqualityComparer.Default.Equals(routineMethod.ContainingType, _owner.ContainingType) &&
                (routineMethod.IsStatic || !_owner.IsStatic) &&
                IsPortableContext(registration.Context))
            {
                return (Text(ReuseDdis.Argument(registration.Invocation, "CompletionRoutine", 1)?.Value), Text(registration.Context));
            }

            return (null, null);
        }

        /// <summary>A context that means the same in any method of the type: a constant, null, a static, <c>this</c> or its members.</summary>
        private bool IsPortableContext(IOperation? context)
        {
            context = OperationUnwrap.Unwrap(context);
            switch (context)
            {
                case null:
                case ILiteralOperation:
                case IDefaultValueOperation:
                    return true;
                case IInstanceReferenceOperation:
                    return !_owner.IsStatic && SymbolEqualityComparer.Default.Equals(context.Type, _owner.ContainingType);
                case IFieldReferenceOperation { Field.IsStatic: true }:
                case IPropertyReferenceOperation { Property.IsStatic: true }:
                    return true;
                case IMemberReferenceOperation member when OperationUnwrap.Unwrap(member.Instance) is IInstanceReferenceOperation:
                    return !_owner.IsStatic && SymbolEqualityComparer.Default.Equals(member.Member.ContainingType, _owner.ContainingType);
                default:
                    return context.ConstantValue.HasValue;
            }
        }

        private static string RequestText(ReuseDomain domain, RequestKey key, RequestFacts facts)
        {
            if (domain.Routine is { } routine && key.Equals(routine.Key))
            {
                return routine.Request.Name;
            }

            var reference = facts.Format ?? facts.Send ?? facts.Reuse ?? facts.LastRoutine;
            return reference is not null && ReuseDdis.RequestArgument(reference) is { } argument
                ? Text(argument)
                : key.ToString();
        }

        private static string SentText(RequestFacts facts) => facts.SentOrigin switch
        {
            SentOrigin.AtOperation when facts.Send is not null => $"at line {Line(facts.Send)}",
            SentOrigin.BeforeRoutine => "before this completion routine ran",
            _ => "by an earlier call; the request is kept in a field",
        };

        private static ImmutableDictionary<string, string?> Properties(string? request, string? routine, string? context)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, string?>();
            if (request is not null)
            {
                builder[RequestProperty] = request;
            }

            if (routine is not null && context is not null)
            {
                builder[RoutineProperty] = routine;
                builder[ContextProperty] = context;
            }

            return builder.ToImmutable();
        }

        private void Report(
            DiagnosticDescriptor descriptor, IOperation at, IOperation? related,
            ImmutableDictionary<string, string?>? properties, params object[] arguments)
        {
            var additional = related is not null && related.Syntax.SyntaxTree == at.Syntax.SyntaxTree
                ? new[] { related.Syntax.GetLocation() }
                : Array.Empty<Location>();
            _report(Diagnostic.Create(descriptor, at.Syntax.GetLocation(), additional, properties, arguments));
        }

        private static string Text(IOperation? operation) =>
            OperationUnwrap.Unwrap(operation) is { } unwrapped && operation!.Syntax is { } syntax
                ? (operation.IsImplicit ? unwrapped.Syntax : syntax).ToString()
                : "?";

        private static int Line(IOperation? operation) =>
            operation is null ? 0 : SourceLines.LineOf(operation.Syntax);
    }
}
