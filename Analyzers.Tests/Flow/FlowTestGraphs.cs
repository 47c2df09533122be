using System.Collections.Immutable;
using System.Linq;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Flow;

/// <summary>Builds the control flow graph of one method of a test source and the request-ownership domain over it.</summary>
internal sealed class FlowTestGraphs
{
    private FlowTestGraphs(ControlFlowGraph graph, RequestOwnershipDomain domain, IMethodSymbol method)
    {
        Graph = graph;
        Domain = domain;
        Method = method;
    }

    public ControlFlowGraph Graph { get; }

    public RequestOwnershipDomain Domain { get; }

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
        var method = (IMethodSymbol)model.GetDeclaredSymbol(declaration)!;
        var context = RequestAnalysisContext.For(AnalysisSession.For(compilation)!);
        var domain = new RequestOwnershipDomain(
            context, graph, method, method, EngineOptions.Default, EngineOptions.DefaultHelperDepth,
            ImmutableHashSet<IMethodSymbol>.Empty, RequestState.Empty, routine: null, default);
        return new FlowTestGraphs(graph, domain, method);
    }

    public TrackedLocation Parameter(string name) => TrackedLocation.ForSymbol(Method.Parameters.First(p => p.Name == name));
}
