using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Benchmarks;

/// <summary>Where the time of the lifetime analysis goes: building operation trees and graphs, solving, replaying.</summary>
public static class Breakdown
{
    public static void Run()
    {
        var compilation = AnalyzerBenchmarks.Warm(DriverCorpus.Create(600, withApi: true));
        for (var run = 1; run <= 3; run++)
        {
            // Helper summaries are cached per compilation: runs after the first reuse them.
            var context = RequestAnalysisContext.For(AnalysisSession.For(compilation)!);
            long operations = 0, graphs = 0, solve = 0, replay = 0;
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
                {
                    var clock = Stopwatch.StartNew();
                    var body = (IMethodBodyOperation)model.GetOperation(method)!;
                    operations += clock.ElapsedTicks;
                    clock.Restart();
                    var graph = ControlFlowGraph.Create(body);
                    graphs += clock.ElapsedTicks;
                    clock.Restart();
                    var symbol = (IMethodSymbol)model.GetDeclaredSymbol(method)!;
                    var domain = new RequestOwnershipDomain(
                        context, graph, symbol, symbol, EngineOptions.Default, EngineOptions.DefaultHelperDepth,
                        ImmutableHashSet<IMethodSymbol>.Empty, RequestState.Empty, routine: null, default);
                    var result = ForwardDataflow.Solve(graph, domain, default);
                    solve += clock.ElapsedTicks;
                    clock.Restart();
                    result.Replay((op, state) => domain.Process(state, op, null), default);
                    replay += clock.ElapsedTicks;
                }
            }

            Console.WriteLine($"run {run}: operations {operations * 1000 / Stopwatch.Frequency} ms, graphs {graphs * 1000 / Stopwatch.Frequency} ms, solve {solve * 1000 / Stopwatch.Frequency} ms, replay {replay * 1000 / Stopwatch.Frequency} ms");
        }
    }
}
