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
    private readonly AnalysisSession _session;
    private readonly ConcurrentDictionary<string, NameFacts> _byName = new(StringComparer.Ordinal);

    /// <summary>The same by symbol ID, so a question asked again makes no substring of its ID.</summary>
    private readonly ConcurrentDictionary<string, NameFacts> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ownMemoryFormatsOnly = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoutineOfRequests?> _routines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Method, string Member), bool> _fresh = new();
    private readonly ConcurrentDictionary<(string Method, int Ordinal), bool> _createdParameters = new();

    public CreatedRequestIndex(AnalysisSession session) => _session = session;

    /// <summary>True when the field or property holds a request from <c>WdfRequestCreate</c> somewhere in the compilation.</summary>
    public bool IsDriverCreatedMember(ISymbol member, CancellationToken cancellationToken) =>
        SymbolIds.IdOf(member) is { } id && IsDriverCreatedMember(id, cancellationToken);

    /// <summary>
    /// True when <paramref name="parameter"/> of an ordinary method is handed a driver-created request by every call: each
    /// call in the compilation passes a field or property that holds one (a read pump's <c>ReadH4Packet(context,
    /// extension.ReadRequest, …)</c>), and the method is not used as a delegate. Asked per parameter, cached.
    /// </summary>
    public bool IsDriverCreatedParameter(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (parameter.RefKind != RefKind.None || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method ||
            SymbolIds.IdOf(method) is not { } methodId)
        {
            return false;
        }

        var key = (methodId, parameter.Ordinal);
        return _createdParameters.TryGetValue(key, out var known)
            ? known
            : _createdParameters.GetOrAdd(key, EveryCallPassesCreated(methodId, parameter.Ordinal, cancellationToken));
    }

    /// <summary>True when the request in this field or property is sent with <c>WdfRequestSend</c> somewhere.</summary>
    public bool IsSentMember(ISymbol member, CancellationToken cancellationToken) =>
        SymbolIds.IdOf(member) is { } id && Facts(id, cancellationToken).SentMembers.Contains(id);

    /// <summary>
    /// True when some body takes the request held in the field or property out into a local it formats, sends or registers
    /// a routine on (<see cref="TreeRequestFacts.TakenOutMembers"/>): a request that may be put back there later.
    /// </summary>
    public bool IsTakenOutMember(ISymbol member, CancellationToken cancellationToken) =>
        SymbolIds.IdOf(member) is { } id && Facts(id, cancellationToken).TakenOutMembers.Contains(id);

    /// <summary>True when the field or property only ever holds memory the driver created (<c>WdfMemoryCreate*</c>).</summary>
    public bool IsDriverOwnedMemoryMember(ISymbol member, CancellationToken cancellationToken) =>
        SymbolIds.IdOf(member) is { } id && IsDriverOwnedMemoryMember(id, cancellationToken);

    /// <summary>
    /// True when the driver-created request held in <paramref name="member"/> is formatted somewhere in the compilation
    /// with memory the driver may not own (a request's): until it is reused it may hold a reference on that memory.
    /// </summary>
    public bool MayHoldForeignMemoryMember(ISymbol member, CancellationToken cancellationToken)
    {
        if (SymbolIds.IdOf(member) is not { } id || !IsDriverCreatedMember(id, cancellationToken) ||
            !Facts(id, cancellationToken).MemberFormats.TryGetValue(id, out var formats) || formats.Count == 0)
        {
            return false;
        }

        return !_ownMemoryFormatsOnly.GetOrAdd(id, _ => AllOwned(formats, cancellationToken));
    }

    /// <summary>The first completion routine registration on the driver-created request held in <paramref name="member"/>.</summary>
    public RoutineRegistration? RoutineOfMember(ISymbol member, CancellationToken cancellationToken) =>
        SymbolIds.IdOf(member) is { } id && IsDriverCreatedMember(id, cancellationToken) &&
        Facts(id, cancellationToken).MemberRoutines.TryGetValue(id, out var registration)
            ? registration
            : null;

    /// <summary>
    /// When <paramref name="method"/> is the completion routine of driver-created requests only (every registration of it
    /// as a method group is on one), what it was registered with; otherwise null. Local functions are registered in their
    /// own method and found there.
    /// </summary>
    public RoutineOfRequests? RoutineOf(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.MethodKind != MethodKind.LocalFunction && SymbolIds.IdOf(method) is { } id ? RoutineOf(id, cancellationToken) : null;

    /// <summary>
    /// True when every call of <paramref name="method"/> in the compilation comes after the caller reused or created the
    /// request held in <paramref name="member"/> (in the caller's text; in a completion routine of that request, a reuse
    /// of its own <c>Request</c> counts). False when the method has no callers in the compilation (the framework calls it,
    /// again and again) or is used as a delegate.
    /// </summary>
    public bool FreshOnEveryCall(IMethodSymbol method, ISymbol member, CancellationToken cancellationToken)
    {
        if (method.MethodKind != MethodKind.Ordinary || SymbolIds.IdOf(method) is not { } methodId ||
            SymbolIds.IdOf(member) is not { } memberId)
        {
            return false;
        }

        if (_fresh.TryGetValue((methodId, memberId), out var known))
        {
            return known;
        }

        var fresh = ComputeFresh(methodId, memberId, cancellationToken);
        _fresh.TryAdd((methodId, memberId), fresh);
        return fresh;
    }

    private bool ComputeFresh(string methodId, string memberId, CancellationToken cancellationToken)
    {
        var calls = Facts(methodId, cancellationToken).Calls(cancellationToken);
        if (calls.OtherUses.Contains(methodId) || !calls.Calls.TryGetValue(methodId, out var sites) || sites.Count == 0)
        {
            return false; // never called (the framework calls it), or a method group: called by whoever holds the delegate
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

    private bool IsDriverCreatedMember(string id, CancellationToken cancellationToken)
    {
        var facts = Facts(id, cancellationToken);
        if (facts.CreatedMembers.Contains(id))
        {
            return true;
        }

        if (facts.MembersFromHelpers.TryGetValue(id, out var helpers))
        {
            foreach (var helper in helpers)
            {
                if (CreatesInto(helper, cancellationToken))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the method creates a request into its <c>out</c> (or <c>ref</c>) parameter of that ordinal.</summary>
    private bool CreatesInto((string MethodId, int Ordinal) helper, CancellationToken cancellationToken) =>
        Facts(helper.MethodId, cancellationToken).CreatingOutParameters.Contains(helper);

    private bool IsDriverOwnedMemoryMember(string id, CancellationToken cancellationToken) =>
        Facts(id, cancellationToken).OwnedMemoryMembers.Contains(id);

    private RoutineOfRequests? RoutineOf(string id, CancellationToken cancellationToken)
    {
        if (_routines.TryGetValue(id, out var known))
        {
            return known;
        }

        RoutineRegistration? first = null;
        var poisoned = false;
        var ownMemoryOnly = false;
        if (Facts(id, cancellationToken).Routines.TryGetValue(id, out var registrations))
        {
            foreach (var registration in registrations)
            {
                bool driverCreated;
                if (registration.StarterParameter is { } starter)
                {
                    // A starter helper's parameter: driver-created when every call passes one; otherwise it tells nothing.
                    if (!EveryCallPassesCreated(starter.MethodId, starter.Ordinal, cancellationToken))
                    {
                        continue;
                    }

                    driverCreated = true;
                }
                else
                {
                    driverCreated = registration.RequestIsLocal
                        ? registration.LocalCreated || (registration.LocalFromHelper is { } helper && CreatesInto(helper, cancellationToken))
                        : registration.RequestMember is { } member && IsDriverCreatedMember(member, cancellationToken);
                }

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

    /// <summary>
    /// True when <paramref name="methodId"/> is called in the compilation, only by calls (not used as a delegate), and
    /// every call passes, as its parameter <paramref name="ordinal"/>, a field or property that holds a driver-created request.
    /// </summary>
    private bool EveryCallPassesCreated(string methodId, int ordinal, CancellationToken cancellationToken)
    {
        var calls = Facts(methodId, cancellationToken).Calls(cancellationToken);
        if (calls.OtherUses.Contains(methodId) || !calls.Calls.TryGetValue(methodId, out var sites) || sites.Count == 0)
        {
            return false;
        }

        foreach (var site in sites)
        {
            if (ordinal >= site.ArgumentMembers.Length || site.ArgumentMembers[ordinal] is not { } member ||
                !IsDriverCreatedMember(member, cancellationToken))
            {
                return false;
            }
        }

        return true;
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
            Facts(m, cancellationToken).MemberFormats.TryGetValue(m, out var formats) && formats.Count > 0 && AllOwned(formats, cancellationToken));
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

    /// <summary>What the trees that mention the simple name of <paramref name="id"/> say about symbols of that name (gathered once per name).</summary>
    private NameFacts Facts(string id, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(id, out var known))
        {
            return known;
        }

        var name = TreeRequestFacts.SimpleNameOf(id);
        if (!_byName.TryGetValue(name, out known))
        {
            known = _byName.GetOrAdd(name, NameFacts.Gather(name, _session, cancellationToken));
        }

        return _byId.GetOrAdd(id, known);
    }


    /// <summary>
    /// The facts about the symbols called one name, gathered from the trees whose name index mentions it (and the DDIs
    /// involved), each tree's facts bound once: every question about any symbol of that name is then a lookup, so N
    /// classes with a field of the same name cost N tree visits in all, not N per class.
    /// </summary>
    private sealed class NameFacts
    {
        private static readonly string[] RequestDdis = NamesWith(DdiRole.CreatesRequest | DdiRole.SendsRequest | DdiRole.SetsCompletionRoutine | DdiRole.FormatsRequest | DdiRole.CreatesMemory);

        private readonly string _name;
        private readonly AnalysisSession _session;
        private CallSitesOfName? _calls;

        private NameFacts(string name, AnalysisSession session)
        {
            _name = name;
            _session = session;
        }

        public HashSet<string> CreatedMembers { get; } = new(StringComparer.Ordinal);

        public HashSet<string> SentMembers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<(string MethodId, int Ordinal)>> MembersFromHelpers { get; } = new(StringComparer.Ordinal);

        public HashSet<(string MethodId, int Ordinal)> CreatingOutParameters { get; } = new();

        public HashSet<string> OwnedMemoryMembers { get; } = new(StringComparer.Ordinal);

        public HashSet<string> TakenOutMembers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<List<MemoryArgument>>> MemberFormats { get; } = new(StringComparer.Ordinal);

        /// <summary>The first registration on each field-held request (in compilation order).</summary>
        public Dictionary<string, RoutineRegistration> MemberRoutines { get; } = new(StringComparer.Ordinal);

        /// <summary>The registrations of each routine method, in compilation order.</summary>
        public Dictionary<string, List<RoutineRegistration>> Routines { get; } = new(StringComparer.Ordinal);

        public static NameFacts Gather(string name, AnalysisSession session, CancellationToken cancellationToken)
        {
            var result = new NameFacts(name, session);
            foreach (var tree in session.Compilation.SyntaxTrees)
            {
                session.Telemetry.IndexTreeVisited();
                var index = session.Index(tree, cancellationToken);
                if (!index.Mentions(name) || !MentionsAny(index, RequestDdis))
                {
                    continue;
                }

                // The tree's facts about members and routines of this name only; a registration is there under its
                // request member's name or its routine's, so which of the two it is checked below.
                var facts = TreeRequestFacts.For(session, tree, cancellationToken).OfName(name);
                result.CreatedMembers.UnionWith(facts.CreatedMembers);
                result.SentMembers.UnionWith(facts.SentMembers);
                result.CreatingOutParameters.UnionWith(facts.CreatingOutParameters);
                foreach (var pair in facts.MembersFromHelpers)
                {
                    if (!result.MembersFromHelpers.TryGetValue(pair.Key, out var helpers))
                    {
                        result.MembersFromHelpers[pair.Key] = helpers = new List<(string, int)>();
                    }

                    helpers.AddRange(pair.Value);
                }
                result.OwnedMemoryMembers.UnionWith(facts.OwnedMemoryMembers);
                result.TakenOutMembers.UnionWith(facts.TakenOutMembers);
                foreach (var pair in facts.MemberFormats)
                {
                    if (!result.MemberFormats.TryGetValue(pair.Key, out var list))
                    {
                        result.MemberFormats[pair.Key] = list = new List<List<MemoryArgument>>();
                    }

                    list.AddRange(pair.Value);
                }

                foreach (var registration in facts.Registrations)
                {
                    if (registration.RequestMember is { } member && TreeRequestFacts.HasSimpleName(member, name) && !result.MemberRoutines.ContainsKey(member))
                    {
                        result.MemberRoutines[member] = registration;
                    }

                    if (registration.RoutineId is { } routine && TreeRequestFacts.HasSimpleName(routine, name))
                    {
                        if (!result.Routines.TryGetValue(routine, out var list))
                        {
                            result.Routines[routine] = list = new List<RoutineRegistration>();
                        }

                        list.Add(registration);
                    }
                }
            }

            return result;
        }

        /// <summary>The calls of the methods called this name, across the trees that mention it (bound on first use).</summary>
        public CallSitesOfName Calls(CancellationToken cancellationToken)
        {
            if (_calls is { } known)
            {
                return known;
            }

            var all = new CallSitesOfName();
            foreach (var tree in _session.Compilation.SyntaxTrees)
            {
                _session.Telemetry.IndexTreeVisited();
                var index = _session.Index(tree, cancellationToken);
                if (!index.Mentions(_name))
                {
                    continue;
                }

                var calls = CallSitesOfName.For(_session, tree, index, _name, cancellationToken);
                all.OtherUses.UnionWith(calls.OtherUses);
                foreach (var pair in calls.Calls)
                {
                    if (!all.Calls.TryGetValue(pair.Key, out var list))
                    {
                        all.Calls[pair.Key] = list = new List<CallSite>();
                    }

                    list.AddRange(pair.Value);
                }
            }

            return _calls = all;
        }

        private static bool MentionsAny(SyntaxTreeIndex index, string[] names)
        {
            foreach (var name in names)
            {
                if (index.Mentions(name))
                {
                    return true;
                }
            }

            return false;
        }
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
