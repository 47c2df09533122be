using System;
using System.Collections.Generic;
using System.Linq;
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
        Func<IMethodSymbol, LockEffect?> lockSummary, CancellationToken cancellationToken)
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
                    stack.Push((lambda.Body, lambdaRoots.TryGetValue(lambda, out var lambdaRoot) ? lambdaRoot : analysis.Callbacks.LambdaRootOf(lambda.Syntax, cancellationToken)));
                    continue;
                case ILocalFunctionOperation local:
                    if (local.Body is { } localBody)
                    {
                        stack.Push((localBody, analysis.Callbacks.RootOf(local.Symbol, cancellationToken)));
                    }

                    continue;
                case IBlockOperation block:
                    PushInSequence(block, context, catalog, lockSummary, stack);
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

    /// <summary>True when <paramref name="name"/> is the name of a raising or registering DDI (a pre-filter of bodies).</summary>
    public static bool IsRaisingOrRegisteringName(string name) =>
        (DdiNames.RolesOfName(name) & (DdiRole.RaisesIrql | DdiRole.RegistersDispatchCallback)) != 0;

    private static void PushChildren(IOperation operation, DispatchContext? context, Stack<(IOperation, DispatchContext?)> stack)
    {
        foreach (var child in operation.ChildOperations.Reverse())
        {
            stack.Push((child, context));
        }
    }

    /// <summary>
    /// Pushes a block's statements, each with the context it runs in: a raising call (or a call of a lock helper that
    /// returns holding its lock) opens a region, a lowering one (or a helper that releases) ends it when every path
    /// through its statement lowers (<see cref="AlwaysLowers"/>): a release in one branch leaves the other under the lock.
    /// </summary>
    private static void PushInSequence(
        IBlockOperation block, DispatchContext? incoming, DdiCatalog catalog, Func<IMethodSymbol, LockEffect?> lockSummary,
        Stack<(IOperation, DispatchContext?)> stack)
    {
        var statements = block.Operations;
        var contexts = new DispatchContext?[statements.Length];
        var current = incoming;
        for (var i = 0; i < statements.Length; i++)
        {
            contexts[i] = current;
            var (raise, lower) = IrqlCalls(statements[i], catalog, lockSummary);
            if (raise is not null && lower is null && current is null)
            {
                current = raise.Helper is null
                    ? DispatchContext.Raised(raise.Ddi, raise.Call.Syntax.GetLocation())
                    : DispatchContext.RaisedByHelper(raise.Call.TargetMethod.Name, raise.Ddi, raise.DdiLine, raise.Call.Syntax.GetLocation());
            }
            else if (lower is not null && raise is null && current is { IsRaised: true } && AlwaysLowers(statements[i], catalog, lockSummary))
            {
                // The region ends here, also when it was opened in an enclosing block (a release in a branch).
                current = null;
            }
        }

        for (var i = statements.Length - 1; i >= 0; i--)
        {
            stack.Push((statements[i], contexts[i]));
        }
    }

    /// <summary>
    /// The first raising and the first lowering call in <paramref name="statement"/> (not in its lambdas): a DDI, or a call
    /// of a lock helper of the driver (<paramref name="lockSummary"/>).
    /// </summary>
    public static (IrqlCall? Raise, IrqlCall? Lower) IrqlCalls(IOperation statement, DdiCatalog catalog, Func<IMethodSymbol, LockEffect?> lockSummary)
    {
        IrqlCall? raise = null, lower = null;
        // One stack per thread, taken while in use: a lock helper's summary (lockSummary) walks its own statements here too.
        var pending = _spareStack ?? new Stack<IOperation>();
        _spareStack = null;
        pending.Push(statement);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (operation is IInvocationOperation call && Irql(call, catalog, lockSummary) is { } irql)
            {
                if (irql.Raises)
                {
                    raise ??= irql.Call;
                }
                else
                {
                    lower ??= irql.Call;
                }
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        _spareStack = pending;
        return (raise, lower);
    }

    [ThreadStatic]
    private static Stack<IOperation>? _spareStack;

    /// <summary>What <paramref name="call"/> does to the IRQL: raise (to DISPATCH_LEVEL or above), lower, or nothing (null).</summary>
    private static (IrqlCall Call, bool Raises)? Irql(IInvocationOperation call, DdiCatalog catalog, Func<IMethodSymbol, LockEffect?> lockSummary)
    {
        var method = call.TargetMethod;
        var roles = catalog.RolesOf(method);
        if ((roles & DdiRole.RaisesIrql) != 0)
        {
            return RaisesOnlyToApcLevel(call, catalog.Api) ? null : (new IrqlCall(call, method.Name, DispatchContext.LineOf(call.Syntax.GetLocation()), null), true);
        }

        if ((roles & DdiRole.LowersIrql) != 0)
        {
            return (new IrqlCall(call, method.Name, DispatchContext.LineOf(call.Syntax.GetLocation()), null), false);
        }

        if (catalog.IsDdi(method) || method.MethodKind != MethodKind.Ordinary || lockSummary(method) is not { } effect)
        {
            return null;
        }

        return (new IrqlCall(call, effect.Ddi, effect.Line, effect), effect.Kind == LockEffectKind.Acquires);
    }

    /// <summary>
    /// True when every path through <paramref name="statement"/> lowers the IRQL: a lowering call in it directly, in a
    /// statement of its block, in both branches of an <c>if</c>, in every section of a <c>switch</c> with a default, in a
    /// <c>finally</c>. A lowering call nested in an <c>if</c> whose branch then leaves the list (<c>return</c>,
    /// <c>break</c>, <c>throw</c>) does not: the path that goes on still holds the lock.
    /// </summary>
    private static bool AlwaysLowers(IOperation statement, DdiCatalog catalog, Func<IMethodSymbol, LockEffect?> lockSummary)
    {
        switch (statement)
        {
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (AlwaysLowers(inner, catalog, lockSummary))
                    {
                        return true;
                    }
                }

                return false;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return AlwaysLowers(conditional.WhenTrue, catalog, lockSummary) && AlwaysLowers(whenFalse, catalog, lockSummary);
            case IConditionalOperation:
                return false;
            case ISwitchOperation switchOperation:
                return switchOperation.Cases.Any(section => section.Clauses.Any(clause => clause.CaseKind == CaseKind.Default)) &&
                    switchOperation.Cases.All(section => section.Body.Any(inner => AlwaysLowers(inner, catalog, lockSummary)));
            case ITryOperation tryOperation:
                return (tryOperation.Finally is { } final && AlwaysLowers(final, catalog, lockSummary)) || AlwaysLowers(tryOperation.Body, catalog, lockSummary);
            case ILoopOperation:
                return false;
            case IUsingOperation usingOperation:
                return AlwaysLowers(usingOperation.Body, catalog, lockSummary);
            default:
                // An expression statement, a return with a value, a declaration: its own calls.
                return IrqlCalls(statement, catalog, lockSummary).Lower is not null;
        }
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
}
