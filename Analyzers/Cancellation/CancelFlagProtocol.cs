using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Cancellation;

/// <summary>
/// DRV005: a cancel routine and the code that completes its request after an unmark agreeing through a flag, the KMDF
/// pattern of the WDK's bluetooth/serialhcibus (its cancel routine and its write completion routine share
/// <c>RequestCompletePath</c> in the request's context). Each side sets the flag member to say it ran and completes the
/// request only under a test of that member (directly or through a local read from it): the cancel routine does not complete
/// when the other side said it would, the other side completes after <c>STATUS_CANCELLED</c> only when the cancel routine
/// said it would not. Decided per member symbol, flow-insensitively: a member of an integral, <c>bool</c> or enum type that a
/// side writes (assignment, compound assignment, increment, or passed by <c>ref</c> to an interlocked DDI) and that an
/// <c>if</c> enclosing each of its completions tests. What the tests decide is not evaluated (the protocol's logic is trusted
/// once both sides have its shape).
/// </summary>
internal static class CancelFlagProtocol
{
    /// <summary>
    /// True when <paramref name="completion"/> (a completion after an unmark that may have returned <c>STATUS_CANCELLED</c>,
    /// in the function whose flow graph was built from <paramref name="function"/>) and the cancel routine
    /// <paramref name="routine"/> agree through a flag member both write and test around their completions.
    /// </summary>
    public static bool Agree(IInvocationOperation completion, IOperation function, IMethodSymbol routine, AnalysisSession session, CancellationToken cancellationToken)
    {
        if (FlagsOfRoutine(routine, session, cancellationToken) is not { Count: > 0 } routineFlags ||
            Original(completion, function, cancellationToken) is not { } original)
        {
            return false;
        }

        var body = Root(original);
        var written = WrittenFlags(body, cancellationToken);
        foreach (var flag in GuardingFlags(original, body, cancellationToken))
        {
            if (routineFlags.Contains(flag) && written.Contains(flag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The flag members the cancel routine writes and tests around every one of its completions (none when it completes
    /// nowhere in its own body, or some completion is not under such a test).
    /// </summary>
    public static HashSet<ISymbol>? FlagsOfRoutine(IMethodSymbol routine, AnalysisSession session, CancellationToken cancellationToken)
    {
        if (session.Bodies.GraphOf(routine, cancellationToken)?.OriginalOperation is not { } body)
        {
            return null;
        }

        HashSet<ISymbol>? common = null;
        foreach (var operation in body.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is not IInvocationOperation call || !session.Catalog.Has(call.TargetMethod, DdiRole.CompletesRequest))
            {
                continue;
            }

            var guards = new HashSet<ISymbol>(GuardingFlags(call, body, cancellationToken), SymbolEqualityComparer.Default);
            if (common is null)
            {
                common = guards;
            }
            else
            {
                common.IntersectWith(guards);
            }

            if (common.Count == 0)
            {
                return null;
            }
        }

        if (common is null)
        {
            return null;
        }

        common.IntersectWith(WrittenFlags(body, cancellationToken));
        return common;
    }

    /// <summary>The flag members tested by the conditions of the <c>if</c>s (and <c>?:</c>) whose branches enclose <paramref name="operation"/>.</summary>
    private static IEnumerable<ISymbol> GuardingFlags(IOperation operation, IOperation body, CancellationToken cancellationToken)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parent is not IConditionalOperation conditional || ReferenceEquals(conditional.Condition, child))
            {
                continue;
            }

            foreach (var read in conditional.Condition.DescendantsAndSelf())
            {
                if (FlagOf(read) is { } flag)
                {
                    yield return flag;
                }
                else if (read is ILocalReferenceOperation local)
                {
                    foreach (var assigned in FlagsAssignedTo(local.Local, body, cancellationToken))
                    {
                        yield return assigned;
                    }
                }
            }
        }
    }

    /// <summary>The flag members read by the values assigned to <paramref name="local"/> anywhere in <paramref name="body"/>.</summary>
    private static IEnumerable<ISymbol> FlagsAssignedTo(ILocalSymbol local, IOperation body, CancellationToken cancellationToken)
    {
        foreach (var operation in body.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var value = operation switch
            {
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) =>
                    declarator.Initializer?.Value,
                _ => null,
            };
            if (value is null)
            {
                continue;
            }

            foreach (var read in value.DescendantsAndSelf())
            {
                if (FlagOf(read) is { } flag)
                {
                    yield return flag;
                }
            }
        }
    }

    /// <summary>The flag members <paramref name="body"/> writes.</summary>
    private static HashSet<ISymbol> WrittenFlags(IOperation body, CancellationToken cancellationToken)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation step => step.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref } argument => argument.Value,
                _ => null,
            };
            if (FlagOf(target) is { } flag)
            {
                written.Add(flag);
            }
        }

        return written;
    }

    /// <summary>A non-constant field or property of an integral, <c>bool</c> or enum type: what a flag protocol can be kept in.</summary>
    private static ISymbol? FlagOf(IOperation? operation)
    {
        var (member, type) = operation switch
        {
            IFieldReferenceOperation { Field.IsConst: false } field => ((ISymbol)field.Field, field.Field.Type),
            IPropertyReferenceOperation property => (property.Property, property.Property.Type),
            _ => (null, null),
        };
        return member is not null && type is not null && IsFlagType(type) ? member.OriginalDefinition : null;
    }

    private static bool IsFlagType(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum ||
        type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte or
            SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or
            SpecialType.System_Int64 or SpecialType.System_UInt64;

    /// <summary>The call of the source operations (with their parents) that a flow graph's call stands for.</summary>
    private static IOperation? Original(IInvocationOperation call, IOperation function, CancellationToken cancellationToken)
    {
        foreach (var operation in function.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation is IInvocationOperation original && original.Syntax == call.Syntax)
            {
                return original;
            }
        }

        return null;
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }
}
