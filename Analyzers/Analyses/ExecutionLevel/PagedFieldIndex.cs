using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// The fields and properties of a compilation (a device extension's, a context's, the driver's) that are assigned
/// paged pool: <c>ext.Counters = ExAllocatePool2(POOL_FLAG_PAGED, …)</c>, or the buffer of
/// <c>WdfMemoryCreate(…, PagedPool, …, out ctx.Memory, out ctx.Buffer)</c>. Answered lazily per member name and cached
/// per compilation, from the trees whose <see cref="SyntaxTreeIndex"/> names the member and an allocating DDI; only
/// their allocating calls stored in that name are bound (each tree once, kept across IDE edits). A member assigned paged pool in one place and nonpaged pool in
/// another is left out (it may hold either); a block stored through a local first (<c>p = Alloc(…); ctx.f = p;</c>) is
/// not followed.
/// </summary>
internal sealed class PagedFieldIndex
{
    private const DdiRole Allocates = DdiRole.AllocatesPool | DdiRole.AllocatesPoolDeprecated | DdiRole.CreatesMemory;

    private static readonly string[] AllocatorNames = DdiNames.Roles
        .Where(pair => (pair.Value & Allocates) != 0)
        .Select(pair => pair.Key)
        .ToArray();

    private readonly AnalysisSession _session;
    private readonly CallsInTreesNaming _calls;
    private static readonly TreeFacts<StoredAllocation[]> TreeAllocations = new();

    private readonly ConcurrentDictionary<string, Dictionary<string, int>> _byName = new(StringComparer.Ordinal);

    public PagedFieldIndex(AnalysisSession session)
    {
        _session = session;
        _calls = new CallsInTreesNaming(session, AllocatorNames);
    }

    /// <summary>The line where <paramref name="member"/> is assigned paged pool, or 0 when it is not known to hold paged pool.</summary>
    public int PagedAllocationLine(ISymbol member, CancellationToken cancellationToken)
    {
        var members = MembersNamed(member.Name, cancellationToken);
        return members.Count > 0 && SymbolIds.IdOf(member) is { } id && members.TryGetValue(id, out var line) ? line : 0;
    }

    /// <summary>The field or property an allocation's result (or out buffer) is stored in, or null.</summary>
    public static ISymbol? MemberOf(IOperation? target) => target switch
    {
        IFieldReferenceOperation field => field.Field.OriginalDefinition,
        IPropertyReferenceOperation property => property.Property.OriginalDefinition,
        _ => null,
    };

    /// <summary>Where the block of an allocating call goes: the target it is assigned to, or <c>WdfMemoryCreate</c>'s out buffer.</summary>
    public static IOperation? StoredIn(IInvocationOperation allocation)
    {
        foreach (var argument in allocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out, Name: "Buffer" })
            {
                return argument.Value;
            }
        }

        IOperation current = allocation;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current.Parent is ISimpleAssignmentOperation assignment && assignment.Value == current ? assignment.Target : null;
    }

    /// <summary>The members named <paramref name="name"/> that hold paged pool, by ID, with the line of the allocation (gathered once per name).</summary>
    private Dictionary<string, int> MembersNamed(string name, CancellationToken cancellationToken)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }

        var paged = new Dictionary<string, int>(StringComparer.Ordinal);
        var nonPaged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, answer) in _calls.Answers(TreeAllocations, name, (model, index, ct) => Bind(model, index, name, ct), cancellationToken))
        {
            foreach (var allocation in answer)
            {
                if (allocation.Line == 0)
                {
                    nonPaged.Add(allocation.MemberId);
                }
                else if (!paged.ContainsKey(allocation.MemberId))
                {
                    paged[allocation.MemberId] = allocation.Line;
                }
            }
        }

        foreach (var member in nonPaged)
        {
            paged.Remove(member);
        }

        return _byName.GetOrAdd(name, paged);
    }

    /// <summary>One tree's answer: its allocations stored in a member named <paramref name="name"/> (from the name's mentions), each paged (its line) or not (0).</summary>
    private StoredAllocation[] Bind(SemanticModel model, SyntaxTreeIndex index, string name, CancellationToken cancellationToken)
    {
        var allocations = new List<StoredAllocation>();
        var seen = new HashSet<InvocationExpressionSyntax>();
        foreach (var mention in CallsInTreesNaming.Mentions(model.SyntaxTree, index, name, cancellationToken))
        {
            if (StoringCall(mention) is not { } call || !seen.Add(call) || !MayStoreIn(call, name) ||
                model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation ||
                MemberOf(StoredIn(invocation)) is not { } member || member.Name != name || SymbolIds.IdOf(member) is not { } id)
            {
                continue;
            }

            allocations.Add(new StoredAllocation(
                id, PagedPool.PagedConstantOf(_session.Catalog, invocation) is null ? 0 : DispatchContext.LineOf(call.GetLocation())));
        }

        return allocations.ToArray();
    }

    /// <summary>The call whose block a mention of the member may receive: the call assigned to it, or the call it is an argument of.</summary>
    private static InvocationExpressionSyntax? StoringCall(ExpressionSyntax mention)
    {
        if (mention.Parent is AssignmentExpressionSyntax assignment && assignment.Left == mention)
        {
            var value = assignment.Right;
            while (value is CastExpressionSyntax or ParenthesizedExpressionSyntax)
            {
                value = value is CastExpressionSyntax cast ? cast.Expression : ((ParenthesizedExpressionSyntax)value).Expression;
            }

            return value as InvocationExpressionSyntax;
        }

        return CallsInTreesNaming.ArgumentOf(mention)?.Call;
    }

    /// <summary>A syntactic pre-filter: the call is assigned to something named <paramref name="name"/>, or passes it by <c>out</c>.</summary>
    private static bool MayStoreIn(InvocationExpressionSyntax call, string name)
    {
        SyntaxNode node = call;
        while (node.Parent is CastExpressionSyntax or ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        if (node.Parent is AssignmentExpressionSyntax assignment && assignment.Right == node)
        {
            return CallsInTreesNaming.EndsWithName(assignment.Left, name);
        }

        foreach (var argument in call.ArgumentList.Arguments)
        {
            if (argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword) && CallsInTreesNaming.EndsWithName(argument.Expression, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An allocation kept with its tree: the member it is stored in, and the line when it is paged pool (else 0).</summary>
    private sealed class StoredAllocation
    {
        public StoredAllocation(string memberId, int line)
        {
            MemberId = memberId;
            Line = line;
        }

        public string MemberId { get; }

        public int Line { get; }
    }
}
