using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.MemoryOwnership;

/// <summary>What is known, on every path, about a WDFMEMORY, a buffer, a request or a send-options location.</summary>
internal abstract class OwnershipFact : System.IEquatable<OwnershipFact>
{
    public abstract bool Equals(OwnershipFact? other);

    public override bool Equals(object? obj) => obj is OwnershipFact other && Equals(other);

    public override int GetHashCode() => GetType().GetHashCode();
}

/// <summary>A <c>PVOID</c> that points into a <c>LOCAL_BUFFER</c> of this function: storage on the kernel stack.</summary>
internal sealed class StackStorage : OwnershipFact
{
    public StackStorage(ILocalSymbol buffer) => Buffer = buffer;

    /// <summary>The <c>LOCAL_BUFFER</c> local; its storage dies when its scope ends.</summary>
    public ILocalSymbol Buffer { get; }

    public override bool Equals(OwnershipFact? other) =>
        other is StackStorage o && SymbolEqualityComparer.Default.Equals(o.Buffer, Buffer);
}

/// <summary>A WDFMEMORY location and the call that created it.</summary>
internal sealed class MemoryOrigin : OwnershipFact
{
    public MemoryOrigin(
        bool preallocated, string ddi, IInvocationOperation creation, TrackedLocation? buffer, ILocalSymbol? stackBuffer, IInvocationOperation? freedElsewhere = null)
    {
        Preallocated = preallocated;
        Ddi = ddi;
        Creation = creation;
        Buffer = buffer;
        StackBuffer = stackBuffer;
        FreedElsewhere = freedElsewhere;
    }

    /// <summary>
    /// For device-lifetime preallocated memory held in a member (<see cref="FieldMemoryOrigins"/>), where the driver frees
    /// its buffer in another method (the cleanup callback, which may run while a send is pending).
    /// </summary>
    public IInvocationOperation? FreedElsewhere { get; }

    /// <summary>For preallocated memory, the location that holds the driver's buffer (if it is one).</summary>
    public TrackedLocation? Buffer { get; }

    /// <summary>For preallocated memory over a <c>LOCAL_BUFFER</c> of this function, that local.</summary>
    public ILocalSymbol? StackBuffer { get; }

    /// <summary>True for <c>WdfMemoryCreatePreallocated</c> (the object does not own its buffer).</summary>
    public bool Preallocated { get; }

    public string Ddi { get; }

    public IInvocationOperation Creation { get; }

    public override bool Equals(OwnershipFact? other) =>
        other is MemoryOrigin o && o.Preallocated == Preallocated && ReferenceEquals(o.Creation, Creation) &&
        Equals(o.Buffer, Buffer) && SymbolEqualityComparer.Default.Equals(o.StackBuffer, StackBuffer);
}

/// <summary>A request formatted (on every path) with a preallocated memory object.</summary>
internal sealed class FormattedWithPreallocated : OwnershipFact
{
    public FormattedWithPreallocated(IInvocationOperation format, string memoryName, MemoryOrigin memory)
    {
        Format = format;
        MemoryName = memoryName;
        Memory = memory;
    }

    public IInvocationOperation Format { get; }

    public string MemoryName { get; }

    public MemoryOrigin Memory { get; }

    public override bool Equals(OwnershipFact? other) =>
        other is FormattedWithPreallocated o && ReferenceEquals(o.Format, Format) && o.Memory.Equals(Memory);
}

/// <summary>
/// An asynchronous send (<c>WdfRequestSend</c>, or a call of a helper that may send the request it is given) of a
/// request formatted with preallocated memory whose buffer is known: the request may be pending from here on. On the
/// path where <c>WdfRequestSend</c> returned FALSE it is <see cref="Sent"/> = false; where that path meets the one where
/// the send succeeded, the request may be pending. A may-fact: it survives a join with a path that never reached the send.
/// </summary>
internal sealed class PendingWithPreallocated : OwnershipFact
{
    public PendingWithPreallocated(
        IInvocationOperation send, string request, FormattedWithPreallocated formatted, TrackedLocation buffer, IInvocationOperation? through, bool sent = true)
    {
        Send = send;
        Request = request;
        Formatted = formatted;
        Buffer = buffer;
        Through = through;
        Sent = sent;
    }

    /// <summary>False on the paths where <c>WdfRequestSend</c> returned FALSE (nothing is pending there).</summary>
    public bool Sent { get; }

    public PendingWithPreallocated NotSent() => new(Send, Request, Formatted, Buffer, Through, sent: false);

    /// <summary>The <c>WdfRequestSend</c>, or the call of the helper that sends.</summary>
    public IInvocationOperation Send { get; }

    /// <summary>How the user wrote the request.</summary>
    public string Request { get; }

    public FormattedWithPreallocated Formatted { get; }

    /// <summary>The location holding the preallocated buffer.</summary>
    public TrackedLocation Buffer { get; }

    /// <summary>For a helper that sends the request: the helper's own <c>WdfRequestSend</c>; else null.</summary>
    public IInvocationOperation? Through { get; }

    public override bool Equals(OwnershipFact? other) =>
        other is PendingWithPreallocated o && ReferenceEquals(o.Send, Send) && o.Sent == Sent &&
        o.Formatted.Equals(Formatted);
}

/// <summary>A bool location holding the result of a <c>WdfRequestSend</c>.</summary>
internal sealed class SendResult : OwnershipFact
{
    public SendResult(IInvocationOperation send) => Send = send;

    public IInvocationOperation Send { get; }

    public override bool Equals(OwnershipFact? other) => other is SendResult o && ReferenceEquals(o.Send, Send);
}

/// <summary>A <c>WDF_REQUEST_SEND_OPTIONS</c> location whose flags are known.</summary>
internal sealed class SendOptionsFlags : OwnershipFact
{
    public SendOptionsFlags(bool synchronous) => Synchronous = synchronous;

    public bool Synchronous { get; }

    public override bool Equals(OwnershipFact? other) => other is SendOptionsFlags o && o.Synchronous == Synchronous;
}

/// <summary>The lattice of ownership facts: must-facts, except a possibly pending send (a may-fact).</summary>
internal sealed class OwnershipLattice : MustLattice<OwnershipFact>
{
    public static readonly OwnershipLattice Instance = new();

    protected override OwnershipFact? JoinDifferent(OwnershipFact left, OwnershipFact right)
    {
        switch (left)
        {
            case MemoryOrigin l when right is MemoryOrigin r && l.Preallocated == r.Preallocated &&
                                     Equals(l.Buffer, r.Buffer) && SymbolEqualityComparer.Default.Equals(l.StackBuffer, r.StackBuffer):
                return Earlier(l.Creation, r.Creation) ? l : r;
            case FormattedWithPreallocated l when right is FormattedWithPreallocated r && Equals(l.Memory.Buffer, r.Memory.Buffer):
                return Earlier(l.Format, r.Format) ? l : r;
            case PendingWithPreallocated l when right is PendingWithPreallocated r:
                // A may-fact: the request may be pending if it is on either path.
                return l.Sent || !r.Sent ? l : r;
            default:
                return null;
        }
    }

    /// <summary>
    /// A possibly pending send is a may-fact: a path that never sent (a failed create or format) does not make the free
    /// after the join safe on the path that did.
    /// </summary>
    protected override bool HoldsOnSomePath(OwnershipFact fact) => fact is PendingWithPreallocated;

    private static bool Earlier(IOperation left, IOperation right) => left.Syntax.SpanStart <= right.Syntax.SpanStart;
}
