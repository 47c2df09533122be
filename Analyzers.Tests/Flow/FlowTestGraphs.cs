using System.Collections.Immutable;
using System.Linq;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Flow;

/// <summary>Builds the control flow graph of one method of a test source and the request-lifetime domain over it.</summary>
internal sealed class FlowTestGraphs
{
    private FlowTestGraphs(ControlFlowGraph graph, RequestLifetimeDomain domain, IMethodSymbol method)
    {
        Graph = graph;
        Domain = domain;
        Method = method;
    }

    public ControlFlowGraph Graph { get; }

    public RequestLifetimeDomain Domain { get; }

    public IMethodSymbol Method { get; }

    public static FlowTestGraphs For(string source, string methodName = "EvtIoRead")
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Test0.cs", source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.ValueText == methodName);
        var body = (IMethodBodyOperation)model.GetOperation(declaration)!;
        var graph = ControlFlowGraph.Create(body);
        var origins = new RequestOrigins(DriverApi.TryGet(compilation)!);
        var domain = new RequestLifetimeDomain(
            origins, graph, new MethodSummaries(compilation, origins), LifetimeOptions.Default, LifetimeOptions.DefaultHelperDepth,
            ImmutableHashSet<IMethodSymbol>.Empty);
        return new FlowTestGraphs(graph, domain, (IMethodSymbol)model.GetDeclaredSymbol(declaration)!);
    }

    public ValueKey Parameter(string name) => ValueKey.ForSymbol(Method.Parameters.First(p => p.Name == name));
}
