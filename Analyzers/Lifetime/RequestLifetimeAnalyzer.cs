using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DriverBuffers.Analyzers.Api;
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
public sealed class RequestLifetimeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.UseAfterRequestCompleted,
        Descriptors.RequestCompletedTwice,
        Descriptors.RequestDdiAfterCompletion,
        Descriptors.RequestNotCompleted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var api = DriverApi.TryGet(start.Compilation);
            if (api?.WdfRequest is null)
            {
                return;
            }

            var origins = new RequestOrigins(api);
            var analysis = new Analysis(origins, new MethodSummaries(start.Compilation, origins), new QueueCallbacks(start.Compilation, origins));
            start.RegisterOperationBlockAction(analysis.AnalyzeBlock);
        });
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
        /// The cheap pre-filter: only methods that take a request or mention a request DDI (or a helper given
        /// a request) get a control flow graph.
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
                }
            }

            return false;
        }

        /// <summary>Analyzes a method, then each of its local functions and lambdas, without recursion.</summary>
        private void AnalyzeWithNested(
            ControlFlowGraph root, IMethodSymbol method, LifetimeOptions options, Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            var pending = new Stack<(ControlFlowGraph Graph, IMethodSymbol Function, IParameterSymbol? CallbackRequest, SyntaxNode? Declaration)>();
            pending.Push((root, method, _callbacks.RequestParameter(method), null));
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (graph, function, callbackRequest, declaration) = pending.Pop();
                Analyze(graph, function, callbackRequest, declaration, options, report, cancellationToken);

                foreach (var local in graph.LocalFunctions)
                {
                    pending.Push((graph.GetLocalFunctionControlFlowGraph(local, cancellationToken), local, null, null));
                }

                foreach (var block in graph.Blocks)
                {
                    foreach (var operation in RequestLifetimeDomain.BlockOperations(block))
                    {
                        foreach (var node in operation.DescendantsAndSelf())
                        {
                            if (node is IFlowAnonymousFunctionOperation lambda)
                            {
                                var request = node.Parent is IDelegateCreationOperation creation && _callbacks.IsCallbackDelegate(creation.Type)
                                    ? _callbacks.RequestParameter(lambda.Symbol)
                                    : null;
                                pending.Push((graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol, request, lambda.Syntax));
                            }
                        }
                    }
                }
            }
        }

        private void Analyze(
            ControlFlowGraph graph,
            IMethodSymbol function,
            IParameterSymbol? callbackRequest,
            SyntaxNode? declaration,
            LifetimeOptions options,
            Action<Diagnostic> report,
            CancellationToken cancellationToken)
        {
            var domain = new RequestLifetimeDomain(
                _origins, graph, _summaries, options, options.HelperDepth, ImmutableHashSet.Create<IMethodSymbol>(SymbolEqualityComparer.Default, function.OriginalDefinition));
            var result = ForwardDataflow.Solve(graph, domain, cancellationToken);
            if (!result.Converged)
            {
                return;
            }

            var reporter = new LifetimeReporter(report);
            result.Replay((operation, state) => domain.Process(state, operation, reporter, cancellationToken), cancellationToken);

            if (callbackRequest is null)
            {
                return;
            }

            var exit = result.StateAtExit;
            if (!exit.IsUnreached && exit.FactsOf(ValueKey.ForSymbol(callbackRequest)).Ownership != OwnershipState.Released)
            {
                report(Diagnostic.Create(
                    Descriptors.RequestNotCompleted,
                    CallbackLocation(function, declaration),
                    callbackRequest.Name,
                    function.MethodKind == MethodKind.AnonymousFunction ? "this callback" : function.Name));
            }
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
    }
}
