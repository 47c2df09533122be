using System;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Analyses.Requests;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>
/// Turns what the request analysis sees at each call of one function into DRV010 (a request completed while a
/// driver-created request still references its memory), DRV011 (formatted or sent again without reuse), DRV012 (reused
/// and sent without its completion routine) and DRV013 (a driver-created request completed), at the call the user
/// wrote, with the format, send or reuse as an additional location.
/// </summary>
internal sealed class ReuseReporter : RequestObserver
{
    private readonly RequestOwnershipDomain _domain;
    private readonly Action<Diagnostic> _report;
    private readonly System.Threading.CancellationToken _cancellationToken;

    public ReuseReporter(RequestOwnershipDomain domain, Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
    {
        _domain = domain;
        _report = report;
        _cancellationToken = cancellationToken;
    }

    private DdiCatalog Catalog => _domain.Context.Catalog;

    public override void OnInvocation(IInvocationOperation invocation, ImmutableArray<ImmutableHashSet<TrackedLocation>> arguments, RequestState state)
    {
        var method = invocation.TargetMethod;
        if (!Catalog.IsDdi(method))
        {
            CheckHelper(invocation, arguments, state);
            return;
        }

        var roles = Catalog.RolesOf(method);
        var requestArgument = DdiArguments.Request(invocation);
        var named = _domain.Context.LocationOf(OperationUnwrap.Unwrap(requestArgument));
        var requests = RequestOwnership.ArgumentRequests(invocation, arguments, requestArgument);
        var keys = requests.IsEmpty ? named?.AsSet : requests;
        var facts = keys is null ? null : _domain.CreatedFactsOf(state, keys);

        if ((roles & DdiRole.CompletesRequest) != 0)
        {
            if (facts is not null)
            {
                Report(Descriptors.DriverCreatedRequestCompleted, invocation, null, null, Text(requestArgument), method.Name);
            }
            else
            {
                CheckMissingReuse(state, invocation, Text(requestArgument), _domain.CompletedRequests(requestArgument, requests));
            }

            return;
        }

        if (keys is null || facts is null)
        {
            return;
        }

        var isSend = (roles & DdiRole.SendsRequest) != 0;
        if ((roles & (DdiRole.FormatsRequest | DdiRole.SendsSynchronously | DdiRole.SendsRequest)) == 0)
        {
            return;
        }

        if (facts.Sent)
        {
            var how = (roles & DdiRole.FormatsRequest) != 0 ? "formatted" : "sent";
            var store = facts.SentOrigin == SentOrigin.PutBackUnreused ? Stored(keys, named, s => s.SentUnreused) : null;
            ReportAt(Descriptors.ReformatWithoutReuse, invocation, facts.Send?.Syntax.GetLocation() ?? store?.Location, Properties(Text(requestArgument), null, null),
                Text(requestArgument), how, method.Name, store is null ? SentText(facts) : $"by an earlier call: {store.Method} put it back in '{store.Target}' after a send that failed, without WdfRequestReuse ({store.Where})");
        }
        else if (isSend && facts.RoutineCleared && RoutineKnown(keys, named, facts) && !IsSynchronous(state, DdiArguments.SendOptions(invocation)))
        {
            var (routineText, contextText) = RoutineToSetAgain(keys, named, facts);
            var store = facts.Reuse is null ? Stored(keys, named, s => s.RoutineCleared) : null;
            ReportAt(Descriptors.ReusedRequestWithoutCompletionRoutine, invocation, facts.Reuse?.Syntax.GetLocation() ?? store?.Location,
                Properties(Text(requestArgument), routineText, contextText),
                Text(requestArgument), store is null
                    ? Line(facts.Reuse).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : $"{store.ReuseLine} of {store.File} ({store.Method} reused it, then put it back in '{store.Target}' at line {store.Line}; this call loaded it from there)");
        }
    }

    /// <summary>A call of a helper that completes, formats or sends what it is given counts at the call.</summary>
    private void CheckHelper(IInvocationOperation call, ImmutableArray<ImmutableHashSet<TrackedLocation>> arguments, RequestState state)
    {
        if (_domain.CreatedSummaryOf(call.TargetMethod) is not { } summary)
        {
            return;
        }

        for (var i = 0; i < call.Arguments.Length; i++)
        {
            var argument = call.Arguments[i];
            var effect = argument.Parameter is { } parameter ? summary.CreatedEffectOn(parameter.Ordinal) : HelperEffect.None;
            if (effect == HelperEffect.None)
            {
                continue;
            }

            var requests = i < arguments.Length ? arguments[i] : RequestState.NoOwners;
            var keys = requests.IsEmpty ? _domain.Context.LocationOf(OperationUnwrap.Unwrap(argument.Value))?.AsSet : requests;
            var facts = keys is null ? null : _domain.CreatedFactsOf(state, keys);
            if ((effect & HelperEffect.Completes) != 0)
            {
                if (facts is not null)
                {
                    Report(Descriptors.DriverCreatedRequestCompleted, call, null, null, Text(argument.Value), call.TargetMethod.Name);
                }
                else
                {
                    CheckMissingReuse(state, call, Text(argument.Value), _domain.CompletedRequests(argument.Value, requests));
                }
            }
            else if (facts is { Sent: true } && (effect & HelperEffect.Reuses) == 0 &&
                     (effect & (HelperEffect.Formats | HelperEffect.Sends)) != 0)
            {
                var how = (effect & HelperEffect.Formats) != 0 ? "formatted" : "sent";
                Report(Descriptors.ReformatWithoutReuse, call, facts.Send, Properties(Text(argument.Value), null, null),
                    Text(argument.Value), how, call.TargetMethod.Name, SentText(facts));
            }
        }

        // A parameterless helper that completes the request kept in a field (the pending original).
        if (RequestOwnershipDomain.SharesMembers(call))
        {
            foreach (var pair in summary.MemberEffects)
            {
                var member = TrackedLocation.ForSymbol(pair.Key);
                if ((pair.Value & HelperEffect.Completes) != 0 && _domain.CreatedFactsOf(state, _domain.ResolveRequest(state, member)) is null)
                {
                    CheckMissingReuse(state, call, pair.Key.Name, null);
                }
            }
        }
    }

    /// <summary>DRV010: another request completed while a driver-created request holds a reference on memory that may be its.</summary>
    private void CheckMissingReuse(RequestState state, IInvocationOperation completion, string completedText, ImmutableHashSet<TrackedLocation>? completed)
    {
        (TrackedLocation Key, CreatedRequestFacts Facts)? holder = null;
        foreach (var pair in state.Created)
        {
            var facts = pair.Value;
            if (!facts.HoldsReference || (completed is not null && completed.Contains(pair.Key)))
            {
                continue;
            }

            if (facts.Format is not null && !RequestOwnership.MayHoldMemoryOf(facts, completed))
            {
                continue;
            }

            if (holder is null || Order(pair.Key, facts) < Order(holder.Value.Key, holder.Value.Facts))
            {
                holder = (pair.Key, facts);
            }
        }

        if (holder is null)
        {
            // A request held in a field or context, formatted by an earlier call with a request's memory, that this
            // function reuses only later on this path: it still holds that reference here, on the memory of a request
            // kept from an earlier call (read from a field or context, as the pending original is). A request this call
            // received is not the one whose memory an earlier call formatted.
            if (completed is null || completed.IsEmpty || !AllMembers(completed))
            {
                return;
            }

            foreach (var (held, reuse) in _domain.ReusedHeldRequests())
            {
                if (!state.Created.ContainsKey(held) && (completed is null || !completed.Contains(held)))
                {
                    var heldText = Text(DdiArguments.Request(reuse));
                    Report(Descriptors.MissingReuseBeforeCompletion, completion, reuse, Properties(heldText, null, null),
                        completedText, completion.TargetMethod.Name, heldText, $"formatted by an earlier call; reused only at line {Line(reuse)}");
                    return;
                }
            }

            return;
        }

        var found = holder.Value;

        var requestText = RequestText(found.Key, found.Facts);
        string formatted;
        if (found.Facts.Format is { } format)
        {
            var memory = DdiArguments.FormatMemory(_domain.Context.Api, format);
            formatted = $"formatted with '{(memory.Count > 0 ? Text(memory[0]) : "?")}' at line {Line(format)}";
        }
        else
        {
            formatted = "formatted before it was sent; this is its completion routine";
        }

        Report(Descriptors.MissingReuseBeforeCompletion, completion, found.Facts.Format, Properties(requestText, null, null),
            completedText, completion.TargetMethod.Name, requestText, formatted);
    }

    private static bool AllMembers(ImmutableHashSet<TrackedLocation> requests)
    {
        foreach (var request in requests)
        {
            if (!request.IsMember)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A deterministic order among candidates: the earliest format, then the name.</summary>
    private static long Order(TrackedLocation key, CreatedRequestFacts facts) =>
        ((long)(facts.Format?.Syntax.SpanStart ?? -1) << 20) + (StringComparer.Ordinal.GetHashCode(key.Name) & 0xFFFFF);

    /// <summary>True when a routine was set on the request in this function, or the field holding it has one registered.</summary>
    private bool RoutineKnown(ImmutableHashSet<TrackedLocation> keys, TrackedLocation? named, CreatedRequestFacts facts)
    {
        if (facts.RoutineSet)
        {
            return true;
        }

        foreach (var member in Members(keys, named))
        {
            if (_domain.Context.Index.RoutineOfMember(member, _cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The routine and context of the last <c>WdfRequestSetCompletionRoutine</c> on the request, as text valid here.</summary>
    private (string? Routine, string? Context) RoutineToSetAgain(ImmutableHashSet<TrackedLocation> keys, TrackedLocation? named, CreatedRequestFacts facts)
    {
        if (facts.LastRoutine is { } last)
        {
            return (Text(DdiArguments.CompletionRoutine(last)), Text(DdiArguments.CompletionContext(last)));
        }

        if (_domain.Routine is { } routine && keys.Contains(routine.Key))
        {
            return routine.RoutineName is null ? (null, null) : (routine.RoutineName, routine.Context?.Name ?? "WDF_NO_CONTEXT");
        }

        var owner = _domain.Owner;
        foreach (var member in Members(keys, named))
        {
            if (_domain.Context.Index.RoutineOfMember(member, _cancellationToken) is { } registration &&
                registration.RoutineIsOrdinary && registration.RoutineTypeId == SymbolIds.IdOf(owner.ContainingType) &&
                (registration.RoutineIsStatic || !owner.IsStatic) &&
                IsPortable(registration, owner))
            {
                return (registration.RoutineText, registration.ContextText);
            }
        }

        return (null, null);
    }

    /// <summary>A context that means the same in any method of the type: a constant, null, a static, <c>this</c> or its members.</summary>
    private static bool IsPortable(RoutineRegistration registration, IMethodSymbol owner) => registration.Portability switch
    {
        ContextPortability.Anywhere => true,
        ContextPortability.InstanceOfType => !owner.IsStatic && registration.ContextTypeId == SymbolIds.IdOf(owner.ContainingType),
        _ => false,
    };

    /// <summary>The fields and properties among the request's names (the argument as written first).</summary>
    private static System.Collections.Generic.IEnumerable<ISymbol> Members(ImmutableHashSet<TrackedLocation> keys, TrackedLocation? named)
    {
        if (named is { IsMember: true, Symbol: { } written })
        {
            yield return written;
        }

        foreach (var key in keys)
        {
            if (key.IsMember && key.Symbol is { } member && !ReferenceEquals(key, named))
            {
                yield return member;
            }
        }
    }

    private bool IsSynchronous(RequestState state, IOperation? options) =>
        OperationUnwrap.Unwrap(options) is ILocalReferenceOperation local &&
        state.SynchronousOptions.ContainsKey(TrackedLocation.ForSymbol(local.Local));

    private string RequestText(TrackedLocation key, CreatedRequestFacts facts)
    {
        if (_domain.Routine is { } routine && key.Equals(routine.Key))
        {
            return routine.Request.Name;
        }

        var reference = facts.Format ?? facts.Send ?? facts.Reuse ?? facts.LastRoutine;
        return reference is not null && DdiArguments.Request(reference) is { } argument
            ? Text(argument)
            : key.Name;
    }

    /// <summary>The first store that put the request in one of its fields in the state the question is about.</summary>
    private HeldRequestStore? Stored(ImmutableHashSet<TrackedLocation> keys, TrackedLocation? named, Func<StoredRequests, HeldRequestStore?> which)
    {
        foreach (var member in Members(keys, named))
        {
            if (which(_domain.Context.HeldStores.Of(member, _domain.Options, _cancellationToken)) is { } store)
            {
                return store;
            }
        }

        return null;
    }

    private static string SentText(CreatedRequestFacts facts) => facts.SentOrigin switch
    {
        SentOrigin.AtOperation when facts.Send is not null => $"at line {Line(facts.Send)}",
        SentOrigin.BeforeRoutine => "before this completion routine ran",
        _ => "by an earlier call; the request is kept in a field",
    };

    private static ImmutableDictionary<string, string?> Properties(string? request, string? routine, string? context)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        if (request is not null)
        {
            builder[DriverCreatedRequestAnalyzer.RequestProperty] = request;
        }

        if (routine is not null && context is not null)
        {
            builder[DriverCreatedRequestAnalyzer.RoutineProperty] = routine;
            builder[DriverCreatedRequestAnalyzer.ContextProperty] = context;
        }

        return builder.ToImmutable();
    }

    private void Report(
        DiagnosticDescriptor descriptor, IOperation at, IOperation? related,
        ImmutableDictionary<string, string?>? properties, params object[] arguments) =>
        ReportAt(descriptor, at, related?.Syntax.GetLocation(), properties, arguments);

    private void ReportAt(
        DiagnosticDescriptor descriptor, IOperation at, Location? related,
        ImmutableDictionary<string, string?>? properties, params object[] arguments)
    {
        var additional = related is not null && related.SourceTree == at.Syntax.SyntaxTree
            ? new[] { related }
            : Array.Empty<Location>();
        _report(Diagnostic.Create(descriptor, at.Syntax.GetLocation(), additional, properties, arguments));
    }

    private static string Text(IOperation? operation) => RoutineRegistration.Text(operation);

    private static int Line(IOperation? operation) =>
        operation is null ? 0 : SourceLines.LineOf(operation.Syntax);
}
