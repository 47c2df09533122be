using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// One function of a body to analyze: the body itself, a lambda (which starts from the state where it is created: it
/// runs later, but what was done before it was created stays done) or a local function.
/// </summary>
internal sealed class FunctionToAnalyze<TState>
{
    public FunctionToAnalyze(
        ControlFlowGraph graph, IMethodSymbol symbol, IFlowAnonymousFunctionOperation? lambda, IMethodSymbol? localFunction, TState entry, int depth)
    {
        Graph = graph;
        Symbol = symbol;
        Lambda = lambda;
        LocalFunction = localFunction;
        Entry = entry;
        Depth = depth;
    }

    public ControlFlowGraph Graph { get; }

    /// <summary>The method, lambda or local function.</summary>
    public IMethodSymbol Symbol { get; }

    /// <summary>The lambda operation, for a lambda.</summary>
    public IFlowAnonymousFunctionOperation? Lambda { get; }

    /// <summary>The local function, for a local function.</summary>
    public IMethodSymbol? LocalFunction { get; }

    /// <summary>The state the function starts from.</summary>
    public TState Entry { get; }

    /// <summary>How deep it is nested in the body (0: the body itself).</summary>
    public int Depth { get; }
}

/// <summary>
/// The functions of one body, analyzed one after the other without recursion (so lambdas nested thousands deep cannot
/// overflow the stack): the body first, then each lambda the analysis found while replaying its parent (with the state
/// there), then each local function. Graphs of nested functions are built guarded: invalid code has none, and is skipped.
/// </summary>
internal sealed class FunctionQueue<TState>
{
    private readonly Queue<FunctionToAnalyze<TState>> _pending = new();
    private readonly MethodBodies _bodies;
    private readonly CancellationToken _cancellationToken;

    public FunctionQueue(MethodBodies bodies, ControlFlowGraph body, IMethodSymbol owner, TState entry, CancellationToken cancellationToken)
    {
        _bodies = bodies;
        _cancellationToken = cancellationToken;
        _pending.Enqueue(new FunctionToAnalyze<TState>(body, owner, null, null, entry, 0));
    }

    /// <summary>The next function to analyze; false when every function was.</summary>
    public bool TryNext(out FunctionToAnalyze<TState> function)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (_pending.Count == 0)
        {
            function = null!;
            return false;
        }

        function = _pending.Dequeue();
        return true;
    }

    /// <summary>A lambda created in <paramref name="parent"/>, to analyze from <paramref name="entry"/>.</summary>
    public void AddLambda(FunctionToAnalyze<TState> parent, IFlowAnonymousFunctionOperation lambda, TState entry)
    {
        if (_bodies.LambdaGraph(parent.Graph, lambda, _cancellationToken) is { } graph)
        {
            _pending.Enqueue(new FunctionToAnalyze<TState>(graph, lambda.Symbol, lambda, null, entry, parent.Depth + 1));
        }
    }

    /// <summary>The local functions declared in <paramref name="parent"/>, each to analyze from <paramref name="entry"/>.</summary>
    public void AddLocalFunctions(FunctionToAnalyze<TState> parent, TState entry)
    {
        foreach (var local in parent.Graph.LocalFunctions)
        {
            if (_bodies.LocalFunctionGraph(parent.Graph, local, _cancellationToken) is { } graph)
            {
                _pending.Enqueue(new FunctionToAnalyze<TState>(graph, local, null, local, entry, parent.Depth + 1));
            }
        }
    }
}
