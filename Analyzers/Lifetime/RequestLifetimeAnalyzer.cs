using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Lifetime;

/// <summary>
/// The four lifetime rules over one flow analysis per method: DRV001 (memory, buffer or MDL used after its
/// request was completed), DRV002 (request completed twice), DRV003 (request DDI after completion) and DRV004
/// (queue callback path that neither completes, forwards, sends nor keeps its request).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RequestLifetimeAnalyzer : DriverApiAnalyzer
{
    public RequestLifetimeAnalyzer()
        : base(
            Descriptors.UseAfterRequestCompleted,
            Descriptors.RequestCompletedTwice,
            Descriptors.RequestDdiAfterCompletion,
            Descriptors.RequestNotCompleted)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (api.WdfRequest is null)
        {
            return;
        }

        var origins = new RequestOrigins(api);
        var analysis = new Analysis(origins, new MethodSummaries(context.Compilation, origins), new QueueCallbacks(context.Compilation, origins));
        context.RegisterOperationBlockAction(analysis.AnalyzeBlock);
    }

    private sealed class Analysis
    {
        private readonly RequestOrigins _origins;
        private readonly MethodSummaries _summaries;
        private readonly QueueCallbacks _callbacks;

        public Analysis(RequestOrigins origins, MethodSummaries summaries, QueueCallbacks callbacks)
        {
            _origins = origins;
            _summaries = summaries;
            _callbacks = callbacks;
        }

        public void AnalyzeBlock(OperationBlockAnalysisContext context)
        {
            if (context.OwningSymbol is not IMethodSymbol method || !MayTouchRequests(method, context.OperationBlocks))
            {
                return;
            }

            var roots = new HashSet<IOperation>();
            foreach (var operationBlock in context.OperationBlocks)
            {
                var block = operationBlock;
                while (block.Parent is not null)
                {
                    block = block.Parent;
                }

                if (block.Kind is not (OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block) ||
                    !roots.Add(block))
                {
                    continue;
                }

                ControlFlowGraph graph;
                try
                {
                    graph = context.GetControlFlowGraph(operationBlock);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                var options = LifetimeOptions.Read(context.Options, block.Syntax.SyntaxTree);
                AnalyzeWithNested(graph, method, options, context.ReportDiagnostic, context.CancellationToken);
            }
        }

        /// <summary>
        /// The cheap pre-filter: only methods that take a request, mention a request DDI, or contain a lambda (a
        /// callback, possibly) get a control flow graph.
        /// </summary>
        private bool MayTouchRequests(IMethodSymbol method, ImmutableArray<IOperation> blocks)
        {
            foreach (var parameter in method.Parameters)
            {
                if (_origins.IsRequestType(parameter.Type))
                {
                    return true;
                }
            }

            foreach (var block in blocks)
            {
                foreach (var token in block.Syntax.DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) &&
                        (token.ValueText.StartsWith("WdfRequest", StringComparison.Ordinal) ||
                         token.ValueText.StartsWith("WdfIoQueueRetrieve", StringComparison.Ordinal)))
                    {
                        return true;
                    }

                    // A lambda may be a queue callback whose request parameter's type is not written out.
                    if ((token.IsKind(SyntaxKind.EqualsGreaterThanToken) && token.Parent is LambdaExpressionSyntax) ||
                        (token.IsKind(SyntaxKind.DelegateKeyword) && token.Parent is AnonymousMethodExpressionSyntax))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// Analyzes a method, then each of its local functions and lambdas, without recursion. A lambda starts from the
        /// state where it is created: a request already completed there is completed whenever the lambda runs.
        /// </summary>
        private void AnalyzeWithNested(
            ControlFlowGraph root, IMethodSymbol method, LifetimeOptions options, Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            var pending = new Stack<Function>();
            pending.Push(new Function(root, method, _callbacks.RequestParameter(method), null, RequestLifetimeState.Empty));
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var function = pending.Pop();
                var lambdas = Analyze(function, options, report, cancellationToken);

                foreach (var local in function.Graph.LocalFunctions)
                {
                    pending.Push(new Function(
                        function.Graph.GetLocalFunctionControlFlowGraph(local, cancellationToken), local, null, null, RequestLifetimeState.Empty));
                }

                foreach (var pair in lambdas)
                {
                    var lambda = pair.Key;
                    var request = lambda.Parent is IDelegateCreationOperation creation && _callbacks.IsCallbackDelegate(creation.Type)
                        ? _callbacks.RequestParameter(lambda.Symbol)
                        : null;
                    pending.Push(new Function(
                        function.Graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol, request, lambda.Syntax, pair.Value));
                }
            }
        }

        /// <summary>Reports the findings of one function; returns the lambdas it creates, with the state where each is created.</summary>
        private Dictionary<IFlowAnonymousFunctionOperation, RequestLifetimeState> Analyze(
            Function function, LifetimeOptions options, Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            var lambdas = new Dictionary<IFlowAnonymousFunctionOperation, RequestLifetimeState>();
            var domain = new RequestLifetimeDomain(
                _origins, function.Graph, _summaries, options, options.HelperDepth,
                ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default, function.Symbol.OriginalDefinition),
                function.Entry);
            var result = ForwardDataflow.Solve(function.Graph, domain, cancellationToken);
            if (!result.Converged)
            {
                return lambdas;
            }

            var reporter = new LifetimeReporter(report);
            result.Replay(
                (operation, state) =>
                {
                    foreach (var node in operation.DescendantsAndSelf())
                    {
                        if (node is IFlowAnonymousFunctionOperation lambda)
                        {
                            lambdas[lambda] = state;
                        }
                    }

                    domain.Process(state, operation, reporter, cancellationToken);
                },
                cancellationToken);

            var callbackRequest = function.CallbackRequest;
            if (callbackRequest is null)
            {
                return lambdas;
            }

            var exit = result.StateAtExit;
            var request = ValueKey.ForSymbol(callbackRequest);
            if (!exit.IsUnreached && exit.FactsOf(request).Ownership != OwnershipState.Released)
            {
                var leaving = LeavingPoint(result, domain, request);
                report(Diagnostic.Create(
                    Descriptors.RequestNotCompleted,
                    CallbackLocation(function.Symbol, function.Declaration),
                    leaving is null ? null : new[] { leaving.GetLocation() },
                    callbackRequest.Name,
                    function.Symbol.MethodKind == MethodKind.AnonymousFunction ? "this callback" : function.Symbol.Name));
            }

            return lambdas;
        }

        /// <summary>
        /// The last code run on a path that leaves the callback still owning <paramref name="request"/> (the first such
        /// path in the method), for the additional location of DRV004; null when no single point can be named.
        /// </summary>
        private static SyntaxNode? LeavingPoint(
            DataflowResult<RequestLifetimeState> result, RequestLifetimeDomain domain, ValueKey request)
        {
            var exitBlock = result.Graph.Blocks[result.Graph.Blocks.Length - 1];
            SyntaxNode? best = null;
            foreach (var branch in exitBlock.Predecessors)
            {
                var source = branch.Source;
                if (!branch.FinallyRegions.IsEmpty || !result.IsReached(source))
                {
                    continue;
                }

                var state = result.StateOnExit(source);
                if (source.BranchValue is { } condition && source.ConditionalSuccessor is not null)
                {
                    var jumpsWhenTrue = source.ConditionKind == ControlFlowConditionKind.WhenTrue;
                    state = domain.AssumeCondition(state, condition, branch.IsConditionalSuccessor ? jumpsWhenTrue : !jumpsWhenTrue);
                }

                if (state.IsUnreached || state.FactsOf(request).Ownership == OwnershipState.Released)
                {
                    continue;
                }

                var last = source.BranchValue?.Syntax ?? (source.Operations.IsEmpty ? null : source.Operations[source.Operations.Length - 1].Syntax);
                if (last is not null && (best is null || last.SpanStart < best.SpanStart))
                {
                    best = last;
                }
            }

            return best;
        }

        private static Location CallbackLocation(IMethodSymbol function, SyntaxNode? declaration)
        {
            if (declaration is LambdaExpressionSyntax lambda)
            {
                return Location.Create(lambda.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End));
            }

            if (declaration is not null)
            {
                return declaration.GetLocation();
            }

            return function.Locations.Length > 0 ? function.Locations[0] : Location.None;
        }

        /// <summary>A method, local function or lambda to analyze, and the state it starts from.</summary>
        private sealed class Function
        {
            public Function(ControlFlowGraph graph, IMethodSymbol symbol, IParameterSymbol? callbackRequest, SyntaxNode? declaration, RequestLifetimeState entry)
            {
                Graph = graph;
                Symbol = symbol;
                CallbackRequest = callbackRequest;
                Declaration = declaration;
                Entry = entry;
            }

            public ControlFlowGraph Graph { get; }

            public IMethodSymbol Symbol { get; }

            /// <summary>The request parameter when the function is a queue callback (DRV004).</summary>
            public IParameterSymbol? CallbackRequest { get; }

            public SyntaxNode? Declaration { get; }

            public RequestLifetimeState Entry { get; }
        }
    }
}
