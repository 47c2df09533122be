using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// What the reuse rules need to know across methods, answered lazily per symbol and cached per compilation: which fields
/// hold a driver-created request, which of them are sent, which hold memory the driver created, which methods are
/// completion routines of driver-created requests (and what they were registered with), and whether every caller of a
/// method reuses a field-held request before calling it. A question about a field or method looks only at the syntax
/// trees whose <see cref="SyntaxTreeIndex"/> mentions its name and the DDIs involved, and binds only those
/// (<see cref="TreeRequestFacts"/>, once per tree); nothing is computed for the compilation as a whole, so an edit costs
/// the edited tree and the questions its methods ask.
/// </summary>
internal sealed class CreatedRequestIndex
{
    private static readonly string[] CreateNames = { DdiNames.WdfRequestCreate };
    private static readonly string[] SendNames = { DdiNames.WdfRequestSend };
    private static readonly string[] RoutineNames = { DdiNames.WdfRequestSetCompletionRoutine };
    private static readonly string[] MemoryNames = NamesWith(DdiRole.CreatesMemory);
    private static readonly string[] FormatNames = NamesWith(DdiRole.FormatsRequest);

    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<string, bool> _created = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ownedMemory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ownMemoryFormatsOnly = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoutineRegistration?> _memberRoutines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoutineOfRequests?> _routines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Method, string Member), bool> _fresh = new();

    public CreatedRequestIndex(AnalysisSession session) => _session = session;

    /// <summary>True when the field or property holds a request from <c>WdfRequestCreate</c> somewhere in the compilation.</summary>
    public bool IsDriverCreatedMember(ISymbol member, CancellationToken cancellationToken) =>
        TreeRequestFacts.IdOf(member) is { } id && IsDriverCreatedMember(id, cancellationToken);

    /// <summary>True when the request in this field or property is sent with <c>WdfRequestSend</c> somewhere.</summary>
    public bool IsSentMember(ISymbol member, CancellationToken cancellationToken) =>
        TreeRequestFacts.IdOf(member) is { } id &&
        _sent.GetOrAdd(id, i => Any(i, SendNames, facts => facts.SentMembers.Contains(i), cancellationToken));

    /// <summary>True when the field or property only ever holds memory the driver created (<c>WdfMemoryCreate*</c>).</summary>
    public bool IsDriverOwnedMemoryMember(ISymbol member, CancellationToken cancellationToken) =>
        TreeRequestFacts.IdOf(member) is { } id && IsDriverOwnedMemoryMember(id, cancellationToken);

    /// <summary>The first completion routine registration on the driver-created request held in <paramref name="member"/>.</summary>
    public RoutineRegistration? RoutineOfMember(ISymbol member, CancellationToken cancellationToken) =>
        TreeRequestFacts.IdOf(member) is { } id ? RoutineOfMember(id, cancellationToken) : null;

    /// <summary>
    /// When <paramref name="method"/> is the completion routine of driver-created requests only (every registration of it
    /// as a method group is on one), what it was registered with; otherwise null. Local functions are registered in their
    /// own method and found there.
    /// </summary>
    public RoutineOfRequests? RoutineOf(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.MethodKind != MethodKind.LocalFunction && TreeRequestFacts.IdOf(method) is { } id ? RoutineOf(id, cancellationToken) : null;

    /// <summary>
    /// True when every call of <paramref name="method"/> in the compilation comes after the caller reused or created the
    /// request held in <paramref name="member"/> (in the caller's text; in a completion routine of that request, a reuse
    /// of its own <c>Request</c> counts). False when the method has no callers in the compilation (the framework calls it,
    /// again and again) or is used as a delegate.
    /// </summary>
    public bool FreshOnEveryCall(IMethodSymbol method, ISymbol member, CancellationToken cancellationToken)
    {
        if (method.MethodKind != MethodKind.Ordinary || TreeRequestFacts.IdOf(method) is not { } methodId ||
            TreeRequestFacts.IdOf(member) is not { } memberId)
        {
            return false;
        }

        if (_fresh.TryGetValue((methodId, memberId), out var known))
        {
            return known;
        }

        var fresh = ComputeFresh(method.Name, methodId, memberId, cancellationToken);
        _fresh.TryAdd((methodId, memberId), fresh);
        return fresh;
    }

    private bool ComputeFresh(string name, string methodId, string memberId, CancellationToken cancellationToken)
    {
        var sites = new List<CallSite>();
        foreach (var tree in _session.Compilation.SyntaxTrees)
        {
            if (!_session.Index(tree, cancellationToken).Mentions(name))
            {
                continue;
            }

            var calls = CallSitesOfName.For(tree, name, _session.Compilation, _session.Catalog, cancellationToken);
            if (calls.OtherUses.Contains(methodId))
            {
                return false; // a method group: called by whoever holds the delegate
            }

            if (calls.Calls.TryGetValue(methodId, out var list))
            {
                sites.AddRange(list);
            }
        }

        if (sites.Count == 0)
        {
            return false;
        }

        foreach (var site in sites)
        {
            if (site.ReusedMembers.Contains(memberId))
            {
                continue;
            }

            var routineOfMember = RoutineOf(site.CallerId, cancellationToken)?.Registration.RequestMember == memberId;
            if (!(routineOfMember && site.ReusedFirstParameter))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsDriverCreatedMember(string id, CancellationToken cancellationToken) =>
        _created.GetOrAdd(id, i => Any(i, CreateNames, facts => facts.CreatedMembers.Contains(i), cancellationToken));

    private bool IsDriverOwnedMemoryMember(string id, CancellationToken cancellationToken) =>
        _ownedMemory.GetOrAdd(id, i => Any(i, MemoryNames, facts => facts.OwnedMemoryMembers.Contains(i), cancellationToken));

    private RoutineRegistration? RoutineOfMember(string id, CancellationToken cancellationToken)
    {
        if (_memberRoutines.TryGetValue(id, out var known))
        {
            return known;
        }

        RoutineRegistration? first = null;
        if (IsDriverCreatedMember(id, cancellationToken))
        {
            foreach (var facts in Candidates(NameOf(id), RoutineNames, cancellationToken))
            {
                foreach (var registration in facts.Registrations)
                {
                    if (registration.RequestMember == id)
                    {
                        first = registration;
                        break;
                    }
                }

                if (first is not null)
                {
                    break;
                }
            }
        }

        return _memberRoutines.GetOrAdd(id, first);
    }

    private RoutineOfRequests? RoutineOf(string id, CancellationToken cancellationToken)
    {
        if (_routines.TryGetValue(id, out var known))
        {
            return known;
        }

        RoutineRegistration? first = null;
        var poisoned = false;
        var ownMemoryOnly = false;
        foreach (var facts in Candidates(NameOf(id), RoutineNames, cancellationToken))
        {
            foreach (var registration in facts.Registrations)
            {
                if (registration.RoutineId != id)
                {
                    continue;
                }

                var driverCreated = registration.RequestIsLocal
                    ? registration.LocalCreated
                    : registration.RequestMember is { } member && IsDriverCreatedMember(member, cancellationToken);
                if (!driverCreated)
                {
                    poisoned = true;
                }
                else if (first is null)
                {
                    first = registration;
                    ownMemoryOnly = FormattedWithOwnMemoryOnly(registration, cancellationToken);
                }
                else if (!FormattedWithOwnMemoryOnly(registration, cancellationToken))
                {
                    ownMemoryOnly = false;
                }
            }
        }

        RoutineOfRequests? result = null;
        if (!poisoned && first is not null)
        {
            var alias = first.RequestMember is { } member
                ? DocumentationCommentId.GetFirstSymbolForDeclarationId(member, _session.Compilation)
                : null;
            result = new RoutineOfRequests(first, alias, holdsForeignMemory: !ownMemoryOnly);
        }

        return _routines.GetOrAdd(id, result);
    }

    /// <summary>True when the request a registration names is formatted, and only ever with memory the driver owns.</summary>
    private bool FormattedWithOwnMemoryOnly(RoutineRegistration registration, CancellationToken cancellationToken)
    {
        if (registration.RequestIsLocal)
        {
            return registration.LocalFormats is { Count: > 0 } formats && AllOwned(formats, cancellationToken);
        }

        if (registration.RequestMember is not { } member)
        {
            return false;
        }

        return _ownMemoryFormatsOnly.GetOrAdd(member, m =>
        {
            var found = false;
            foreach (var facts in Candidates(NameOf(m), FormatNames, cancellationToken))
            {
                if (facts.MemberFormats.TryGetValue(m, out var formats))
                {
                    found = true;
                    if (!AllOwned(formats, cancellationToken))
                    {
                        return false;
                    }
                }
            }

            return found;
        });
    }

    private bool AllOwned(List<List<MemoryArgument>> formats, CancellationToken cancellationToken)
    {
        foreach (var memory in formats)
        {
            foreach (var argument in memory)
            {
                var owned = argument.Owned || (argument.Member is { } member && IsDriverOwnedMemoryMember(member, cancellationToken));
                if (!owned)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool Any(string id, string[] ddiNames, Func<TreeRequestFacts, bool> test, CancellationToken cancellationToken)
    {
        foreach (var facts in Candidates(NameOf(id), ddiNames, cancellationToken))
        {
            if (test(facts))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bound facts of the trees that mention <paramref name="name"/> and one of <paramref name="ddiNames"/>, in compilation order.</summary>
    private IEnumerable<TreeRequestFacts> Candidates(string name, string[] ddiNames, CancellationToken cancellationToken)
    {
        foreach (var tree in _session.Compilation.SyntaxTrees)
        {
            var index = _session.Index(tree, cancellationToken);
            if (!index.Mentions(name))
            {
                continue;
            }

            foreach (var ddi in ddiNames)
            {
                if (index.Mentions(ddi))
                {
                    yield return TreeRequestFacts.For(tree, _session.Compilation, _session.Catalog, _session.Telemetry, cancellationToken);
                    break;
                }
            }
        }
    }

    /// <summary>The simple name in a documentation ID (<c>F:N.T.Reader</c> → <c>Reader</c>; <c>M:N.T.Done(…)</c> → <c>Done</c>).</summary>
    private static string NameOf(string id)
    {
        var end = id.IndexOf('(');
        var text = end < 0 ? id : id.Substring(0, end);
        var start = text.LastIndexOf('.');
        var name = start < 0 ? text.Substring(2) : text.Substring(start + 1);
        var generic = name.IndexOf('`');
        return generic < 0 ? name : name.Substring(0, generic);
    }

    private static string[] NamesWith(DdiRole role)
    {
        var names = new List<string>();
        foreach (var pair in DdiNames.Roles)
        {
            if ((pair.Value & role) != 0)
            {
                names.Add(pair.Key);
            }
        }

        return names.ToArray();
    }
}

/// <summary>A method that is the completion routine of driver-created requests: its first registration and what it tells.</summary>
internal sealed class RoutineOfRequests
{
    public RoutineOfRequests(RoutineRegistration registration, ISymbol? alias, bool holdsForeignMemory)
    {
        Registration = registration;
        Alias = alias;
        HoldsForeignMemory = holdsForeignMemory;
    }

    public RoutineRegistration Registration { get; }

    /// <summary>The field or property the request was registered through, if any: inside the routine it names the routine's request.</summary>
    public ISymbol? Alias { get; }

    /// <summary>False when every request it is registered for is formatted only with memory the driver owns.</summary>
    public bool HoldsForeignMemory { get; }
}
