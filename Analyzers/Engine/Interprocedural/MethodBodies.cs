#pragma warning disable RS1030 // interprocedural summaries need callee bodies: Compilation.GetSemanticModel reads helpers in other trees of the same compilation
using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The control flow graphs of methods the analysis calls into (helpers of the same compilation), built on demand and
/// cached per compilation; and the graphs of lambdas and local functions inside a graph, guarded against invalid code.
/// </summary>
internal sealed class MethodBodies
{
    private readonly Compilation _compilation;
    private readonly EngineTelemetry _telemetry;
    private readonly ConcurrentDictionary<IMethodSymbol, ControlFlowGraph?> _graphs = new(SymbolEqualityComparer.Default);

    public MethodBodies(Compilation compilation, EngineTelemetry telemetry)
    {
        _compilation = compilation;
        _telemetry = telemetry;
    }

    /// <summary>
    /// The graph of <paramref name="method"/>'s body when it is a method or constructor of this compilation with a body
    /// (partial methods: their implementation); null for anything else (another assembly, abstract, extern, no body,
    /// a body that cannot be analyzed).
    /// </summary>
    public ControlFlowGraph? GraphOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor) ||
            method.IsAbstract || method.IsExtern || (method.IsPartialDefinition && method.PartialImplementationPart is null) ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
        {
            return null;
        }

        if (_graphs.TryGetValue(method, out var cached))
        {
            return cached;
        }

        var graph = Build(method.PartialImplementationPart ?? method, cancellationToken);
        return _graphs.GetOrAdd(method, graph);
    }

    /// <summary>True when a call may run another body than the one declared (virtual, abstract, or an unsealed override).</summary>
    public static bool IsOverridable(IMethodSymbol method) =>
        method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed && !method.ContainingType.IsSealed);

    /// <summary>The graph of a local function of <paramref name="graph"/> or of an enclosing graph; null when unavailable.</summary>
    public ControlFlowGraph? LocalFunctionGraph(ControlFlowGraph graph, IMethodSymbol localFunction, CancellationToken cancellationToken)
    {
        try
        {
            var result = graph.GetLocalFunctionControlFlowGraphInScope(localFunction, cancellationToken);
            _telemetry.GraphBuilt();
            return result;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The graph of a lambda of <paramref name="graph"/> or of an enclosing graph; null when unavailable.</summary>
    public ControlFlowGraph? LambdaGraph(ControlFlowGraph graph, IFlowAnonymousFunctionOperation lambda, CancellationToken cancellationToken)
    {
        try
        {
            var result = graph.GetAnonymousFunctionControlFlowGraphInScope(lambda, cancellationToken);
            _telemetry.GraphBuilt();
            return result;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private ControlFlowGraph? Build(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (syntax is not (BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }) ||
                !_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                continue;
            }

            var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
            try
            {
                var graph = model.GetOperation(syntax, cancellationToken) switch
                {
                    IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
                    IConstructorBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
                    _ => null,
                };
                if (graph is not null)
                {
                    _telemetry.GraphBuilt();
                    return graph;
                }
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        return null;
    }
}
