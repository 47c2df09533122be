using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// Walks one method body (no recursion: an explicit stack) and finds, in the code of it that may run above APC_LEVEL,
/// every <see cref="PageableSite"/>. Code may run above APC_LEVEL when it is
/// <list type="bullet">
/// <item>the body of a registered DISPATCH_LEVEL callback (<see cref="DispatchCallbackIndex"/>), or a lambda or local
/// function given to a registering DDI;</item>
/// <item>a statement after a raising call (<c>WdfSpinLockAcquire</c>, <c>KeAcquireSpinLock</c>, <c>KeRaiseIrql</c>) and
/// before the matching lowering call of the same statement list. A lowering call nested in a statement (an
/// <c>if</c>) ends the region unless its block leaves the list (<c>return</c>, <c>break</c>, <c>throw</c>, …).</item>
/// </list>
/// Each operation is visited once, so each site is found once; a touch of paged pool that a flagged allocation of the
/// same body allocated is left to that allocation's finding, and a block touched several times is reported at its
/// first touch.
/// </summary>
internal static class DispatchCode
{
    /// <summary>
    /// The sites of <paramref name="body"/>; <paramref name="root"/> is why the whole body runs at DISPATCH_LEVEL (null:
    /// only its spin-lock regions and registered lambdas do).
    /// </summary>
    public static List<(PageableSite Site, DispatchContext Context)> Find(
        IOperation body, DispatchContext? root, ExecutionLevelAnalysis analysis, Func<IMethodSymbol, PageableReach?> helperSummary,
        CancellationToken cancellationToken)
    {
        var catalog = analysis.Session.Catalog;
        var found = new List<(PageableSite, DispatchContext)>();
        var paged = new PagedValues(new[] { body }, catalog, analysis.PagedFields, cancellationToken);
        var lambdaRoots = new Dictionary<IOperation, DispatchContext>();
        var stack = new Stack<(IOperation Operation, DispatchContext? Context)>();
        stack.Push((body, root));
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            var (operation, context) = stack.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation lambda:
                    stack.Push((lambda.Body, lambdaRoots.TryGetValue(lambda, out var lambdaRoot) ? lambdaRoot : null));
                    continue;
                case ILocalFunctionOperation local:
                    if (local.Body is { } localBody)
                    {
                        stack.Push((localBody, analysis.Callbacks.RootOf(local.Symbol, cancellationToken)));
                    }

                    continue;
                case IBlockOperation block:
                    PushInSequence(block, context, catalog, stack);
                    continue;
                case IInvocationOperation call:
                    if (DispatchCallbackIndex.RegisteredCallback(catalog, call) is IAnonymousFunctionOperation registered)
                    {
                        lambdaRoots[registered] = DispatchContext.Callback(call.TargetMethod.Name, "lambda", call.Syntax.GetLocation());
                    }

                    if (context is not null && PageableSites.Find(call, catalog, paged, helperSummary) is { } site)
                    {
                        found.Add((site, context));
                    }

                    break;
            }

            PushChildren(operation, context, stack);
        }

        // One defect, one finding: a touch of paged pool allocated by a flagged allocation of this body is that
        // allocation's defect (its fix makes both right),
        var flaggedAllocations = new HashSet<int>();
        foreach (var (site, _) in found)
        {
            if (site.Kind == PageableKind.PagedAllocation)
            {
                flaggedAllocations.Add(DispatchContext.LineOf(site.Call.Syntax.GetLocation()));
            }
        }

        // and one block touched several times is one finding, at its first touch.
        found.RemoveAll(pair => pair.Item1.Kind == PageableKind.PagedTouch && !flaggedAllocations.Add(pair.Item1.AllocationLine));
        return found;
    }

    /// <summary>The bodies that can have code above APC_LEVEL without being a callback root: they name a raising or registering DDI.</summary>
    private static readonly NameScreen RaisesOrRegisters =
        new(name => (DdiNames.RolesOfName(name) & (DdiRole.RaisesIrql | DdiRole.RegistersDispatchCallback)) != 0);

    /// <summary>True when <paramref name="body"/> can have code above APC_LEVEL without being a callback root (answered from the tree's name index).</summary>
    public static bool MayRaiseOrRegister(SyntaxNode body, EngineTelemetry telemetry, CancellationToken cancellationToken) =>
        RaisesOrRegisters.Passes(body, telemetry, cancellationToken);

    private static void PushChildren(IOperation operation, DispatchContext? context, Stack<(IOperation, DispatchContext?)> stack)
    {
        var children = new List<IOperation>(operation.ChildOperations);
        for (var i = children.Count - 1; i >= 0; i--)
        {
            stack.Push((children[i], context));
        }
    }

    /// <summary>Pushes a block's statements, each with the context it runs in (a raising call opens a region, a lowering one ends it).</summary>
    private static void PushInSequence(IBlockOperation block, DispatchContext? incoming, DdiCatalog catalog, Stack<(IOperation, DispatchContext?)> stack)
    {
        var statements = block.Operations;
        var contexts = new DispatchContext?[statements.Length];
        var current = incoming;
        for (var i = 0; i < statements.Length; i++)
        {
            contexts[i] = current;
            var (raise, lower) = IrqlCalls(statements[i], catalog);
            if (raise is not null && lower is null && current is null)
            {
                current = DispatchContext.Raised(raise.TargetMethod.Name, raise.Syntax.GetLocation());
            }
            else if (lower is not null && raise is null && current != incoming && !LeavesItsList(lower, statements[i]))
            {
                current = incoming;
            }
        }

        for (var i = statements.Length - 1; i >= 0; i--)
        {
            stack.Push((statements[i], contexts[i]));
        }
    }

    /// <summary>The first raising and the first lowering call in <paramref name="statement"/> (not in its lambdas).</summary>
    private static (IInvocationOperation? Raise, IInvocationOperation? Lower) IrqlCalls(IOperation statement, DdiCatalog catalog)
    {
        IInvocationOperation? raise = null, lower = null;
        var pending = new Stack<IOperation>();
        pending.Push(statement);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (operation is IInvocationOperation call)
            {
                var roles = catalog.RolesOf(call.TargetMethod);
                if ((roles & DdiRole.RaisesIrql) != 0 && !RaisesOnlyToApcLevel(call, catalog.Api))
                {
                    raise ??= call;
                }
                else if ((roles & DdiRole.LowersIrql) != 0)
                {
                    lower ??= call;
                }
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return (raise, lower);
    }

    /// <summary><c>KeRaiseIrql(PASSIVE_LEVEL or APC_LEVEL, …)</c> does not reach DISPATCH_LEVEL.</summary>
    private static bool RaisesOnlyToApcLevel(IInvocationOperation call, DriverApi api)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Name == "NewIrql")
            {
                var value = argument.Value;
                while (value is IConversionOperation conversion)
                {
                    value = conversion.Operand;
                }

                return value is IFieldReferenceOperation field &&
                    (api.IsConstant(field.Field, "PASSIVE_LEVEL") || api.IsConstant(field.Field, "APC_LEVEL") || api.IsConstant(field.Field, "LOW_LEVEL"));
            }
        }

        return false;
    }

    /// <summary>True when the lowering call nested in <paramref name="statement"/> is followed, in its own block, by leaving it (return, break, throw, goto).</summary>
    private static bool LeavesItsList(IInvocationOperation lower, IOperation statement)
    {
        if (lower.Parent is IExpressionStatementOperation direct && direct == statement)
        {
            return false;
        }

        for (IOperation? current = lower; current is not null && current != statement; current = current.Parent)
        {
            if (current.Parent is IBlockOperation block && block.Operations.Length > 0 &&
                block.Operations[block.Operations.Length - 1] is IReturnOperation or IBranchOperation or IThrowOperation or
                    IExpressionStatementOperation { Operation: IThrowOperation })
            {
                return true;
            }
        }

        return false;
    }
}
