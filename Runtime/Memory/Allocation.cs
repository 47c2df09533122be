using System;
using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers.Memory;

/// <summary>
/// A range of memory a <see cref="PVOID"/> can point into: pool, a system buffer, a user buffer seen
/// through its user address, an MDL's system mapping. Every access is checked at the moment it happens:
/// the allocation must still be alive, the range in bounds, and a neither-I/O user address probed.
/// When the verifier is off, a failed check degrades to what a real system might do without crashing
/// .NET: reads of dead or out-of-range bytes return <see cref="MemoryPatterns.Stale"/>, writes to them are
/// dropped (so no byte of somebody else's data is corrupted).
/// </summary>
internal class Allocation
{
    private EndReason? end;
    private int pendingRequestUses;

    public Allocation(DriverRuntime runtime, Storage storage, int start, int length, string name)
    {
        Runtime = runtime;
        Storage = storage;
        Start = start;
        Length = length;
        Name = name;
    }

    public DriverRuntime Runtime { get; }
    public Storage Storage { get; }
    public int Start { get; }
    public int Length { get; }

    /// <summary>Shown in pointer names and violations, e.g. "pool#7" or "system buffer of WDFREQUEST#3".</summary>
    public string Name { get; }

    /// <summary>The stack of the call that made this allocation or handed out this view (for leak reports), or null.</summary>
    public System.Diagnostics.StackTrace? AllocatedAt { get; init; }

    /// <summary>A neither-I/O user address: touching it before a probe is DRV042, reading its bytes twice DRV045.</summary>
    public bool RequiresProbe { get; init; }

    /// <summary>Paged pool or pageable user memory: touching it above APC_LEVEL is DRV037.</summary>
    public bool Pageable { get; init; }

    /// <summary>Which bytes of a user address the driver has read (for DRV045); created on the first read.</summary>
    private System.Collections.BitArray? fetched;

    public bool Probed { get; private set; }

    /// <summary>How many pending requests use this memory through a memory object that does not own it.</summary>
    public int PendingRequestUses
    {
        get { lock (Storage.Gate) { return pendingRequestUses; } }
    }

    /// <summary>A request that uses this memory (through a preallocated memory object) was sent.</summary>
    public void AddPendingRequestUse()
    {
        lock (Storage.Gate) { pendingRequestUses++; }
    }

    /// <summary>That request completed, was reused or re-formatted.</summary>
    public void RemovePendingRequestUse()
    {
        lock (Storage.Gate) { pendingRequestUses--; }
    }

    public EndReason? End
    {
        get { lock (Storage.Gate) { return end; } }
    }

    public bool IsAlive => End is null;

    /// <summary>Ends the allocation; later accesses break <paramref name="reason"/>'s rule. False if it already ended.</summary>
    public bool TryEnd(EndReason reason)
    {
        lock (Storage.Gate)
        {
            if (end is not null)
            {
                return false;
            }
            end = reason;
            return true;
        }
    }

    /// <summary>Marks a user address as probed (ProbeForRead/Write, probe-and-lock).</summary>
    public void MarkProbed()
    {
        lock (Storage.Gate) { Probed = true; }
    }

    /// <summary>
    /// Copies bytes out, checking liveness, probe, IRQL and bounds (out of bounds is <paramref name="outOfBoundsRule"/>:
    /// DRV024 for a pointer accessor, DRV020 for a copy DDI). A second read of the same user bytes is DRV045.
    /// </summary>
    public void Read(nuint offset, Span<byte> destination, string ddi, string pointerName, string outOfBoundsRule)
    {
        lock (Storage.Gate)
        {
            bool allowed = Check(offset, (nuint)destination.Length, ddi, pointerName, outOfBoundsRule, out var inBounds);
            if (RequiresProbe && inBounds > 0)
            {
                CheckSingleFetch((int)offset, inBounds, ddi, pointerName);
            }
            if (!allowed)
            {
                destination.Fill(MemoryPatterns.Stale);
                Bytes(offset, inBounds).CopyTo(destination);
                return;
            }
            Bytes(offset, destination.Length).CopyTo(destination);
            if (RequiresProbe && Runtime.ChangeUserMemoryBetweenReads)
            {
                // The application, on another thread, rewrites what the driver just read.
                foreach (ref byte b in Bytes(offset, destination.Length))
                {
                    b ^= 0xFF;
                }
            }
        }
    }

    /// <summary>Copies bytes in, checking liveness, probe, IRQL and bounds (see <see cref="Read"/>).</summary>
    public void Write(nuint offset, ReadOnlySpan<byte> source, string ddi, string pointerName, string outOfBoundsRule)
    {
        lock (Storage.Gate)
        {
            if (!Check(offset, (nuint)source.Length, ddi, pointerName, outOfBoundsRule, out var inBounds))
            {
                source[..inBounds].CopyTo(Bytes(offset, inBounds));
                return;
            }
            source.CopyTo(Bytes(offset, source.Length));
        }
    }

    /// <summary>Fills a range, checking liveness, probe, IRQL and bounds (out of bounds is DRV020: only DDIs fill).</summary>
    public void Fill(nuint offset, nuint count, byte value, string ddi, string pointerName)
    {
        lock (Storage.Gate)
        {
            Check(offset, count, ddi, pointerName, Rules.OutOfBounds, out var inBounds);
            Bytes(offset, inBounds).Fill(value);
        }
    }

    /// <summary>Checks an access without performing it (ProbeFor*, MDL building).</summary>
    public bool CheckRange(nuint offset, nuint count, string ddi, string pointerName)
    {
        lock (Storage.Gate)
        {
            return Check(offset, count, ddi, pointerName, Rules.OutOfBounds, out _);
        }
    }

    /// <summary>DRV045: a byte of a user address read a second time (caller holds the storage lock).</summary>
    private void CheckSingleFetch(int offset, int count, string ddi, string pointerName)
    {
        fetched ??= new System.Collections.BitArray(Length);
        int again = -1;
        for (int i = offset; i < offset + count; i++)
        {
            if (fetched[i] && again < 0)
            {
                again = i;
            }
            fetched[i] = true;
        }
        if (again >= 0)
        {
            Runtime.Verifier.Report(Rules.UserBufferFetchedTwice, ddi, pointerName,
                $"byte {again} of {Name} was already read once; the application can change user memory between two reads, so a value " +
                "checked after the first read may differ at the second: copy the user data once into kernel memory and use the copy");
        }
    }

    /// <summary>Bytes from <paramref name="offset"/> to the end (0 past the end or when dead); never reports.</summary>
    public nuint BytesAvailableFrom(nuint offset)
    {
        lock (Storage.Gate)
        {
            return end is null && offset < (nuint)Length ? (nuint)Length - offset : 0;
        }
    }

    /// <summary>
    /// The simulated hardware or I/O manager writing into the memory (a target completing a read): writes
    /// what fits into live memory and silently drops the rest, because the driver's bug, if any, was
    /// already reported where it happened (a buffer freed while its request was pending, DRV040).
    /// </summary>
    public int DeviceWrite(nuint offset, ReadOnlySpan<byte> source)
    {
        lock (Storage.Gate)
        {
            int count = (int)Math.Min((nuint)source.Length, end is null && offset < (nuint)Length ? (nuint)Length - offset : 0);
            source[..count].CopyTo(Bytes(offset, count));
            return count;
        }
    }

    /// <summary>The simulated hardware reading the memory (a target taking a write's data); dead bytes read as <see cref="MemoryPatterns.Stale"/>.</summary>
    public byte[] DeviceRead(nuint offset, nuint count)
    {
        lock (Storage.Gate)
        {
            int available = (int)Math.Min(count, end is null && offset < (nuint)Length ? (nuint)Length - offset : 0);
            var bytes = new byte[(int)Math.Min(count, (nuint)Math.Max(Length, available))];
            Array.Fill(bytes, MemoryPatterns.Stale);
            Bytes(offset, available).CopyTo(bytes);
            return bytes;
        }
    }

    /// <summary>The whole allocation's bytes, for the simulated system's own copies (no checks).</summary>
    public Span<byte> RawBytes => Storage.Bytes.AsSpan(Start, Length);

    private Span<byte> Bytes(nuint offset, int count) =>
        count == 0 ? Span<byte>.Empty : Storage.Bytes.AsSpan(Start + (int)offset, count);

    /// <summary>
    /// True when the access is allowed. Otherwise reports the violation (which throws when the verifier is
    /// on) and gives the number of leading bytes that may still be touched (0 for dead memory).
    /// </summary>
    private bool Check(nuint offset, nuint count, string ddi, string pointerName, string outOfBoundsRule, out int inBounds)
    {
        inBounds = 0;
        if (end is not null)
        {
            Runtime.Verifier.Report(end.Rule, ddi, pointerName, end.Detail);
            return false;
        }
        if (RequiresProbe && !Probed)
        {
            Runtime.Verifier.Report(Rules.UnprobedUserAddress, ddi, pointerName,
                "a neither-I/O user address was touched before ProbeForRead/ProbeForWrite or WdfRequestProbeAndLockUserBufferFor*");
        }
        if (Pageable && Synchronization.ThreadIrql.AboveApcLevel)
        {
            Runtime.Verifier.Report(Rules.PagedMemoryAboveApcLevel, ddi, pointerName,
                $"{Name} is pageable and was touched at {Synchronization.ThreadIrql.Current}; a real system bug-checks " +
                "(IRQL_NOT_LESS_OR_EQUAL) when the page is out: use nonpaged pool for memory used at DISPATCH_LEVEL");
        }
        var length = (nuint)Length;
        if (offset <= length && count <= length - offset)
        {
            inBounds = (int)count;
            return true;
        }
        Runtime.Verifier.Report(outOfBoundsRule, ddi, pointerName,
            $"access of {count} byte(s) at offset {(nint)offset} is outside the {Length}-byte allocation {Name}");
        inBounds = offset < length ? (int)(length - offset) : 0;
        return false;
    }
}
