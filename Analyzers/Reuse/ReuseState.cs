using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>Why a request may have been sent since it was last reused, when the send is not in the analysed body.</summary>
internal enum SentOrigin : byte
{
    None = 0,

    /// <summary>By a send in this body (<see cref="RequestFacts.Send"/>).</summary>
    AtOperation = 1,

    /// <summary>This is its completion routine: the target completed it after it was sent.</summary>
    BeforeRoutine = 2,

    /// <summary>A field-held request: an earlier call (of this or another method) sent it.</summary>
    EarlierCall = 3,
}

/// <summary>
/// What may be true of one driver-created request on some path (each flag is a "may"): it holds a reference on
/// memory it was formatted with, it was sent since it was last reused, its completion routine was cleared by a
/// reuse and not set again, a routine was set on it at all. The witness operations (for messages and fixes) are
/// chosen deterministically where paths meet, so the lattice stays finite.
/// </summary>
internal sealed class RequestFacts : IEquatable<RequestFacts>
{
    public static readonly RequestFacts Fresh = new(false, null, false, null, SentOrigin.None, false, null, false, null);

    public RequestFacts(
        bool holdsReference, IInvocationOperation? format,
        bool sent, IInvocationOperation? send, SentOrigin sentOrigin,
        bool routineCleared, IInvocationOperation? reuse,
        bool routineSet, IInvocationOperation? lastRoutine)
    {
        HoldsReference = holdsReference;
        Format = holdsReference ? format : null;
        Sent = sent;
        Send = sent ? send : null;
        SentOrigin = sent ? sentOrigin : SentOrigin.None;
        RoutineCleared = routineCleared;
        Reuse = routineCleared ? reuse : null;
        RoutineSet = routineSet;
        LastRoutine = routineSet ? lastRoutine : null;
    }

    public bool HoldsReference { get; }

    /// <summary>The format that took the reference; null when it happened before this completion routine ran.</summary>
    public IInvocationOperation? Format { get; }

    public bool Sent { get; }

    public IInvocationOperation? Send { get; }

    public SentOrigin SentOrigin { get; }

    public bool RoutineCleared { get; }

    public IInvocationOperation? Reuse { get; }

    public bool RoutineSet { get; }

    /// <summary>The last <c>WdfRequestSetCompletionRoutine</c> seen in this body; null when set elsewhere.</summary>
    public IInvocationOperation? LastRoutine { get; }

    /// <summary>A completion routine's own request on entry: formatted, sent, completed by the target, routine set.</summary>
    public static RequestFacts RoutineEntry(bool holdsReference) =>
        new(holdsReference, null, true, null, SentOrigin.BeforeRoutine, false, null, true, null);

    /// <summary>A field-held request on entry to a method: sent by an earlier call when the compilation sends it.</summary>
    public static RequestFacts FieldEntry(bool sentSomewhere) =>
        sentSomewhere ? new(false, null, true, null, SentOrigin.EarlierCall, false, null, false, null) : Fresh;

    /// <summary>After <c>WdfRequestReuse</c>: no reference, not sent, routine cleared.</summary>
    public RequestFacts AfterReuse(IInvocationOperation reuse) =>
        new(false, null, false, null, SentOrigin.None, true, reuse, RoutineSet, LastRoutine);

    /// <summary>After a format: the previous reference dropped, a new one taken when it has memory. A format after a send is reported there (DRV011).</summary>
    public RequestFacts AfterFormat(IInvocationOperation format, bool holdsReference) =>
        new(holdsReference, format, false, null, SentOrigin.None, RoutineCleared, Reuse, RoutineSet, LastRoutine);

    /// <summary>After <c>WdfRequestSend</c>; a send without its routine is reported there (DRV012), once.</summary>
    public RequestFacts AfterSend(IInvocationOperation send) =>
        new(HoldsReference, Format, true, send, SentOrigin.AtOperation, false, null, RoutineSet, LastRoutine);

    /// <summary>After <c>WdfIoTargetSendXxxSynchronously</c>, which formats the request again (dropping the reference) and sends it.</summary>
    public RequestFacts AfterSynchronousSend(IInvocationOperation send) =>
        new(false, null, true, send, SentOrigin.AtOperation, RoutineCleared, Reuse, RoutineSet, LastRoutine);

    /// <summary>After <c>WdfRequestSetCompletionRoutine</c>.</summary>
    public RequestFacts AfterSetRoutine(IInvocationOperation setRoutine) =>
        new(HoldsReference, Format, Sent, Send, SentOrigin, false, null, true, setRoutine);

    public RequestFacts Join(RequestFacts other)
    {
        if (Equals(other))
        {
            return this;
        }

        return new RequestFacts(
            HoldsReference || other.HoldsReference, Pick(Format, other.Format, HoldsReference, other.HoldsReference),
            Sent || other.Sent, Pick(Send, other.Send, Sent, other.Sent),
            (SentOrigin)Math.Max((int)(Sent ? SentOrigin : 0), (int)(other.Sent ? other.SentOrigin : 0)),
            RoutineCleared || other.RoutineCleared, Pick(Reuse, other.Reuse, RoutineCleared, other.RoutineCleared),
            RoutineSet || other.RoutineSet, Pick(LastRoutine, other.LastRoutine, RoutineSet, other.RoutineSet));
    }

    /// <summary>The witness of the joined fact: one that exists, the earlier in the source when both do.</summary>
    private static IInvocationOperation? Pick(IInvocationOperation? left, IInvocationOperation? right, bool leftHas, bool rightHas)
    {
        if (!leftHas || left is null)
        {
            return rightHas ? right : null;
        }

        if (!rightHas || right is null)
        {
            return left;
        }

        return right.Syntax.SpanStart < left.Syntax.SpanStart ? right : left;
    }

    public bool Equals(RequestFacts? other) =>
        other is not null &&
        HoldsReference == other.HoldsReference && ReferenceEquals(Format, other.Format) &&
        Sent == other.Sent && ReferenceEquals(Send, other.Send) && SentOrigin == other.SentOrigin &&
        RoutineCleared == other.RoutineCleared && ReferenceEquals(Reuse, other.Reuse) &&
        RoutineSet == other.RoutineSet && ReferenceEquals(LastRoutine, other.LastRoutine);

    public override bool Equals(object? obj) => Equals(obj as RequestFacts);

    public override int GetHashCode() =>
        (HoldsReference ? 1 : 0) | (Sent ? 2 : 0) | (RoutineCleared ? 4 : 0) | (RoutineSet ? 8 : 0);
}

/// <summary>The facts of every driver-created request tracked at one point; <see cref="Unreached"/> for dead code.</summary>
internal sealed class ReuseState
{
    public static readonly ReuseState Unreached = new(null);
    public static readonly ReuseState Empty = new(ImmutableDictionary<RequestKey, RequestFacts>.Empty);

    public ReuseState(ImmutableDictionary<RequestKey, RequestFacts>? requests) => Requests = requests;

    /// <summary>Null when unreached.</summary>
    public ImmutableDictionary<RequestKey, RequestFacts>? Requests { get; }

    public bool IsUnreached => Requests is null;

    public RequestFacts? this[RequestKey key] =>
        Requests is not null && Requests.TryGetValue(key, out var facts) ? facts : null;

    public ReuseState With(RequestKey key, RequestFacts facts) =>
        Requests is null ? this : new ReuseState(Requests.SetItem(key, facts));

    public ReuseState Without(RequestKey key) =>
        Requests is null || !Requests.ContainsKey(key) ? this : new ReuseState(Requests.Remove(key));

    public ReuseState Join(ReuseState other)
    {
        if (Requests is null)
        {
            return other;
        }

        if (other.Requests is null || ReferenceEquals(this, other))
        {
            return this;
        }

        var result = Requests;
        foreach (var pair in other.Requests)
        {
            result = result.TryGetValue(pair.Key, out var mine)
                ? result.SetItem(pair.Key, mine.Join(pair.Value))
                : result.SetItem(pair.Key, pair.Value);
        }

        return new ReuseState(result);
    }

    public bool SameAs(ReuseState other)
    {
        if (Requests is null || other.Requests is null)
        {
            return Requests is null && other.Requests is null;
        }

        if (Requests.Count != other.Requests.Count)
        {
            return false;
        }

        foreach (var pair in Requests)
        {
            if (!other.Requests.TryGetValue(pair.Key, out var facts) || !facts.Equals(pair.Value))
            {
                return false;
            }
        }

        return true;
    }
}
