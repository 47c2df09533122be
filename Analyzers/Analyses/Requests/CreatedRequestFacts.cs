using System;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>Why a driver-created request may have been sent since it was last reused, when the send is not in the analysed body.</summary>
internal enum SentOrigin : byte
{
    None = 0,

    /// <summary>By a send in this body (<see cref="CreatedRequestFacts.Send"/>).</summary>
    AtOperation = 1,

    /// <summary>This is its completion routine: the target completed it after it was sent.</summary>
    BeforeRoutine = 2,

    /// <summary>A field-held request: an earlier call (of this or another method) sent it.</summary>
    EarlierCall = 3,

    /// <summary>A field-held request: an earlier call sent it and put it back in the field without reusing it.</summary>
    PutBackUnreused = 4,
}

/// <summary>
/// What may be true of one driver-created request on some path (each flag is a "may"): it holds a reference on the
/// memory it was formatted with (and who owns that memory), it was sent since it was last reused, its completion
/// routine was cleared by a reuse and not set again, a routine was set on it at all. The witness operations (for
/// messages and fixes) are chosen deterministically where paths meet, so the lattice stays finite.
/// </summary>
internal sealed class CreatedRequestFacts : IEquatable<CreatedRequestFacts>
{
    public static readonly CreatedRequestFacts Fresh = new(false, null, default, false, null, SentOrigin.None, false, null, false, null);

    public CreatedRequestFacts(
        bool holdsReference, IInvocationOperation? format, ImmutableArray<ImmutableHashSet<TrackedLocation>> formatMemory,
        bool sent, IInvocationOperation? send, SentOrigin sentOrigin,
        bool routineCleared, IInvocationOperation? reuse,
        bool routineSet, IInvocationOperation? lastRoutine, bool backWithDriver = false)
    {
        BackWithDriver = sent && backWithDriver;
        HoldsReference = holdsReference;
        Format = holdsReference ? format : null;
        FormatMemory = holdsReference && format is not null && !formatMemory.IsDefault ? formatMemory : ImmutableArray<ImmutableHashSet<TrackedLocation>>.Empty;
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

    /// <summary>
    /// For each memory argument of <see cref="Format"/>, the owners of that memory where it was formatted (requests it
    /// was retrieved from, <see cref="TrackedLocation.Driver"/> for memory the driver created; empty when unknown).
    /// </summary>
    public ImmutableArray<ImmutableHashSet<TrackedLocation>> FormatMemory { get; }

    public bool Sent { get; }

    public IInvocationOperation? Send { get; }

    public SentOrigin SentOrigin { get; }

    /// <summary>
    /// Sent, and may be back with the driver since: the send failed (its result was tested), it was sent synchronously, or
    /// this is its completion routine. Not after a send that succeeded: the request is in flight until its routine runs.
    /// </summary>
    public bool BackWithDriver { get; }

    public bool RoutineCleared { get; }

    public IInvocationOperation? Reuse { get; }

    public bool RoutineSet { get; }

    /// <summary>The last <c>WdfRequestSetCompletionRoutine</c> seen in this body; null when set elsewhere.</summary>
    public IInvocationOperation? LastRoutine { get; }

    /// <summary>A completion routine's own request on entry: formatted, sent, completed by the target, routine set.</summary>
    public static CreatedRequestFacts RoutineEntry(bool holdsReference) =>
        new(holdsReference, null, default, true, null, SentOrigin.BeforeRoutine, false, null, true, null, backWithDriver: true);

    /// <summary>A field-held request on entry to a method: sent by an earlier call when the compilation sends it.</summary>
    public static CreatedRequestFacts FieldEntry(bool sentSomewhere) => FieldEntry(sentSomewhere, SentOrigin.EarlierCall, routineCleared: false);

    /// <summary>
    /// A field-held request on entry to a method: sent by an earlier call (<paramref name="origin"/> says how it is known),
    /// and with its completion routine cleared by a reuse before it was put back in the field.
    /// </summary>
    public static CreatedRequestFacts FieldEntry(bool sent, SentOrigin origin, bool routineCleared) =>
        sent || routineCleared ? new(false, null, default, sent, null, origin, routineCleared, null, false, null, backWithDriver: true) : Fresh;

    /// <summary>After <c>WdfRequestReuse</c>: no reference, not sent, routine cleared.</summary>
    public CreatedRequestFacts AfterReuse(IInvocationOperation reuse) =>
        new(false, null, default, false, null, SentOrigin.None, true, reuse, RoutineSet, LastRoutine);

    /// <summary>After a format: the previous reference dropped, a new one taken when it has memory. A format after a send is reported there (DRV011).</summary>
    public CreatedRequestFacts AfterFormat(IInvocationOperation format, ImmutableArray<ImmutableHashSet<TrackedLocation>> memory, bool holdsReference) =>
        new(holdsReference, format, memory, false, null, SentOrigin.None, RoutineCleared, Reuse, RoutineSet, LastRoutine);

    /// <summary>After <c>WdfRequestSend</c>; a send without its routine is reported there (DRV012), once.</summary>
    public CreatedRequestFacts AfterSend(IInvocationOperation send) =>
        new(HoldsReference, Format, FormatMemory, true, send, SentOrigin.AtOperation, false, null, RoutineSet, LastRoutine);

    /// <summary>After <c>WdfIoTargetSendXxxSynchronously</c>, which formats the request again (dropping the reference) and sends it.</summary>
    public CreatedRequestFacts AfterSynchronousSend(IInvocationOperation send) =>
        new(false, null, default, true, send, SentOrigin.AtOperation, RoutineCleared, Reuse, RoutineSet, LastRoutine, backWithDriver: true);

    /// <summary>After <c>WdfRequestSetCompletionRoutine</c>.</summary>
    public CreatedRequestFacts AfterSetRoutine(IInvocationOperation setRoutine) =>
        new(HoldsReference, Format, FormatMemory, Sent, Send, SentOrigin, false, null, true, setRoutine, BackWithDriver);

    /// <summary>Where the format's status was found to be a failure: the format took no reference.</summary>
    public CreatedRequestFacts WithoutReference() =>
        new(false, null, default, Sent, Send, SentOrigin, RoutineCleared, Reuse, RoutineSet, LastRoutine, BackWithDriver);

    /// <summary>Where its send is found to have failed: the request is back with the driver (still sent, not reused).</summary>
    public CreatedRequestFacts AfterFailedSend() =>
        !Sent || BackWithDriver ? this : new(HoldsReference, Format, FormatMemory, Sent, Send, SentOrigin, RoutineCleared, Reuse, RoutineSet, LastRoutine, backWithDriver: true);

    public CreatedRequestFacts Join(CreatedRequestFacts other)
    {
        if (Equals(other))
        {
            return this;
        }

        var format = Pick(Format, other.Format, HoldsReference, other.HoldsReference);
        ImmutableArray<ImmutableHashSet<TrackedLocation>> memory;
        if (ReferenceEquals(Format, other.Format) && HoldsReference && other.HoldsReference)
        {
            memory = UnionMemory(FormatMemory, other.FormatMemory);
        }
        else
        {
            memory = ReferenceEquals(format, Format) && HoldsReference ? FormatMemory : other.FormatMemory;
        }

        return new CreatedRequestFacts(
            HoldsReference || other.HoldsReference, format, memory,
            Sent || other.Sent, Pick(Send, other.Send, Sent, other.Sent),
            (SentOrigin)Math.Max((int)(Sent ? SentOrigin : 0), (int)(other.Sent ? other.SentOrigin : 0)),
            RoutineCleared || other.RoutineCleared, Pick(Reuse, other.Reuse, RoutineCleared, other.RoutineCleared),
            RoutineSet || other.RoutineSet, Pick(LastRoutine, other.LastRoutine, RoutineSet, other.RoutineSet),
            BackWithDriver || other.BackWithDriver);
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

    private static ImmutableArray<ImmutableHashSet<TrackedLocation>> UnionMemory(
        ImmutableArray<ImmutableHashSet<TrackedLocation>> left, ImmutableArray<ImmutableHashSet<TrackedLocation>> right)
    {
        if (left.Length != right.Length)
        {
            return left;
        }

        var builder = ImmutableArray.CreateBuilder<ImmutableHashSet<TrackedLocation>>(left.Length);
        for (var i = 0; i < left.Length; i++)
        {
            // An unknown owner (empty) on either side stays unknown: it may be anyone's.
            builder.Add(left[i].IsEmpty || right[i].IsEmpty ? ImmutableHashSet<TrackedLocation>.Empty : left[i].Union(right[i]));
        }

        return builder.MoveToImmutable();
    }

    public bool Equals(CreatedRequestFacts? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null ||
            HoldsReference != other.HoldsReference || !ReferenceEquals(Format, other.Format) ||
            Sent != other.Sent || !ReferenceEquals(Send, other.Send) || SentOrigin != other.SentOrigin || BackWithDriver != other.BackWithDriver ||
            RoutineCleared != other.RoutineCleared || !ReferenceEquals(Reuse, other.Reuse) ||
            RoutineSet != other.RoutineSet || !ReferenceEquals(LastRoutine, other.LastRoutine) ||
            FormatMemory.Length != other.FormatMemory.Length)
        {
            return false;
        }

        for (var i = 0; i < FormatMemory.Length; i++)
        {
            if (!FormatMemory[i].SetEquals(other.FormatMemory[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as CreatedRequestFacts);

    public override int GetHashCode() =>
        (HoldsReference ? 1 : 0) | (Sent ? 2 : 0) | (RoutineCleared ? 4 : 0) | (RoutineSet ? 8 : 0);
}

/// <summary>The lattice of <see cref="CreatedRequestFacts"/>: "may" facts; a request without an entry is not known to be driver-created.</summary>
internal sealed class CreatedRequestFactsLattice : FactLattice<CreatedRequestFacts>
{
    public static readonly CreatedRequestFactsLattice Instance = new();

    public override bool AreEqual(CreatedRequestFacts left, CreatedRequestFacts right) => left.Equals(right);

    public override CreatedRequestFacts Join(CreatedRequestFacts left, CreatedRequestFacts right) => left.Join(right);
}
