using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The one way a body gets analyzed: pick the bodies of an operation block action, screen them with a cheap syntactic
/// pre-filter (a <see cref="NameScreen"/>: no binding beyond what the compiler did, no graph), build the control flow
/// graph guarded against invalid code, and run the analysis under the body's work budget. Past the budget the analysis
/// is given up silently (no finding in that body) and counted in <see cref="EngineTelemetry.BodiesOverBudget"/>. Lambdas
/// and local functions are analyzed by the analysis itself, from the states where they are created (see
/// <see cref="MethodBodies"/>).
/// </summary>
internal static class BodyRunner
{
    /// <summary>
    /// The bodies of an operation block action, each once: method and constructor bodies, and the top-level blocks of
    /// accessors, lambdas' owners and the like; attributes and parameter default values are not bodies.
    /// </summary>
    public static ImmutableArray<IOperation> Bodies(ImmutableArray<IOperation> operationBlocks)
    {
        // Most actions have one block: answered without allocating.
        if (operationBlocks.Length == 1)
        {
            return IsBody(RootOf(operationBlocks[0])) ? operationBlocks : ImmutableArray<IOperation>.Empty;
        }

        var bodies = ImmutableArray.CreateBuilder<IOperation>();
        var seen = new HashSet<IOperation>();
        foreach (var block in operationBlocks)
        {
            var root = RootOf(block);
            if (IsBody(root) && seen.Add(root))
            {
                bodies.Add(block);
            }
        }

        return bodies.ToImmutable();
    }

    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static bool IsBody(IOperation root) => root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block;

    /// <summary>The graph of <paramref name="body"/> (one of the action's operation blocks); null for code without one.</summary>
    public static ControlFlowGraph? GraphOf(OperationBlockAnalysisContext context, IOperation body, EngineTelemetry telemetry)
    {
        try
        {
            var graph = context.GetControlFlowGraph(body);
            telemetry.GraphBuilt();
            return graph;
        }
        catch (ArgumentException)
        {
            return null; // not a body with a control flow graph (invalid code)
        }
    }

    /// <summary>
    /// Runs <paramref name="analyze"/> under a work budget; false when it went over (it is abandoned silently and counted).
    /// Cancellation propagates.
    /// </summary>
    public static bool TryRunWithinBudget(EngineTelemetry telemetry, long budget, Action analyze)
    {
        using (WorkMeter.Start(budget, telemetry))
        {
            try
            {
                analyze();
                return true;
            }
            catch (WorkBudgetExceededException)
            {
                telemetry.BodyOverBudget();
                return false;
            }
        }
    }
}
