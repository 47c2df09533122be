using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers.Memory;

/// <summary>
/// The MDL behind a <see cref="PMDL"/>: it describes <see cref="ByteCount"/> bytes at
/// <see cref="VirtualAddress"/>. Before it can be mapped its pages must be locked
/// (<c>MmProbeAndLockPages</c>) or it must describe nonpaged pool (<c>MmBuildMdlForNonPagedPool</c>). The
/// system mapping is a view of the same bytes that ends when the pages are unlocked, the MDL is freed, or
/// the request that owns the MDL completes (DRV001).
/// </summary>
internal sealed class MemoryDescriptorList : INamedObject
{
    private readonly object gate = new();
    private Allocation? mapping;
    private EndReason? end;

    public MemoryDescriptorList(DriverRuntime runtime, PVOID virtualAddress, uint byteCount)
    {
        Runtime = runtime;
        Id = ObjectIds.Next();
        Describe(virtualAddress, byteCount);
    }

    public DriverRuntime Runtime { get; }

    public long Id { get; }

    public string Name => $"PMDL#{Id}";

    public PVOID VirtualAddress { get; private set; }

    public uint ByteCount { get; private set; }

    public bool Locked { get; private set; }

    public bool BuiltForNonPagedPool { get; private set; }

    /// <summary>For a partial MDL (<c>IoBuildPartialMdl</c>): the MDL whose pages it borrows.</summary>
    public MemoryDescriptorList? Source { get; private set; }

    /// <summary>Set when the I/O manager owns this MDL (direct I/O): freeing or unlocking it is the I/O manager's job.</summary>
    public string? OwnedBy { get; init; }

    /// <summary>For an MDL the driver built in its own pool (<c>(PMDL)ExAllocatePool2</c>): that pool.</summary>
    public Pool.PoolAllocation? Storage { get; private init; }

    public EndReason? End
    {
        get
        {
            lock (gate)
            {
                return end ?? Storage?.End;
            }
        }
    }

    /// <summary>The size of the MDL header; the page array follows it.</summary>
    public const uint HeaderSize = 48;

    /// <summary>Bytes an MDL describing <paramref name="length"/> bytes at <paramref name="start"/> occupies.</summary>
    public static nuint SizeFor(PVOID start, nuint length)
    {
        nuint first = start.Offset % PageSize;
        nuint pages = (first + length + PageSize - 1) / PageSize;
        return HeaderSize + pages * sizeof(ulong);
    }

    private Allocation? header;

    /// <summary>The MDL's address: its pool for an MDL in driver pool, else its (non-pool) header.</summary>
    public PVOID AsPointer()
    {
        if (Storage is not null)
        {
            return new PVOID(Storage, 0);
        }
        lock (gate)
        {
            header ??= new Allocation(Runtime, new Storage((int)HeaderSize), 0, (int)HeaderSize, $"header of {Name}");
            return new PVOID(header, 0);
        }
    }

    /// <summary>The MDL stored in driver pool at <paramref name="pointer"/> (created on first use).</summary>
    public static MemoryDescriptorList InDriverPool(PVOID pointer)
    {
        if (pointer.Allocation is Pool.PoolAllocation pool && pointer.Offset == 0 && pool.Length >= HeaderSize)
        {
            lock (pool.Storage.Gate)
            {
                return pool.EmbeddedMdl ??= new MemoryDescriptorList(pool.Runtime, default, 0) { Storage = pool };
            }
        }
        throw new WdfViolationException(Rules.InvalidMdl, "implicit conversion to PMDL", pointer.ToString(),
            $"only NULL or the start of a pool allocation of at least {HeaderSize} bytes (MmSizeOfMdl) can hold an MDL");
    }

    /// <summary>Page size of the simulated system; allocations start page-aligned.</summary>
    public const uint PageSize = 4096;

    public uint ByteOffset => (uint)(VirtualAddress.Offset % PageSize);

    /// <summary><c>MmInitializeMdl</c>/<c>IoAllocateMdl</c>: describe a buffer (not locked, not mapped).</summary>
    public void Describe(PVOID virtualAddress, uint byteCount)
    {
        if (Storage is not null && SizeFor(virtualAddress, byteCount) > (nuint)Storage.Length)
        {
            Runtime.Verifier.Report(Rules.OutOfBounds, "MmInitializeMdl", Name,
                $"an MDL for {byteCount} byte(s) at {virtualAddress} needs {SizeFor(virtualAddress, byteCount)} bytes but {Storage.Describe()} holds {Storage.Length}");
            return;
        }
        lock (gate)
        {
            mapping?.TryEnd(new EndReason(Rules.UseAfterFree, $"{Name} was re-initialised"));
            mapping = null;
            VirtualAddress = virtualAddress;
            ByteCount = byteCount;
            Locked = false;
            BuiltForNonPagedPool = false;
            Source = null;
        }
    }

    /// <summary>Reports and returns false if the MDL may no longer be used.</summary>
    public bool CheckUsable(string ddi)
    {
        var ended = End;
        if (ended is null)
        {
            return true;
        }
        Runtime.Verifier.Report(ended.Rule, ddi, Name, ended.Detail);
        return false;
    }

    /// <summary><c>MmProbeAndLockPages</c>: the described range must be valid memory, else it raises.</summary>
    public void ProbeAndLock(string ddi)
    {
        var allocation = VirtualAddress.Allocation;
        if (allocation is null || allocation.BytesAvailableFrom(VirtualAddress.Offset) < ByteCount)
        {
            throw new NtStatusException(Wdm.STATUS_ACCESS_VIOLATION,
                $"{ddi}: {Name} describes {ByteCount} byte(s) at {VirtualAddress}, which is not valid memory");
        }
        lock (gate) { Locked = true; }
    }

    /// <summary><c>MmBuildMdlForNonPagedPool</c>.</summary>
    public void BuildForNonPagedPool(string ddi)
    {
        if (VirtualAddress.Allocation is not Pool.PoolAllocation { Pageable: false })
        {
            Runtime.Verifier.Report(Rules.InvalidMdl, ddi, Name, $"{VirtualAddress} is not nonpaged pool");
            return;
        }
        lock (gate) { BuiltForNonPagedPool = true; }
    }

    /// <summary><c>IoBuildPartialMdl</c>: describe part of <paramref name="source"/>'s pages.</summary>
    public void BuildPartial(MemoryDescriptorList source, PVOID virtualAddress, uint byteCount)
    {
        Describe(virtualAddress, byteCount);
        lock (gate)
        {
            Source = source;
            Locked = source.Locked;
            BuiltForNonPagedPool = source.BuiltForNonPagedPool;
        }
    }

    /// <summary>
    /// The system address of the described bytes (<c>MmGetSystemAddressForMdlSafe</c>), or NULL when
    /// mapping fails (injected resource shortage).
    /// </summary>
    public PVOID Map(string ddi)
    {
        if (!CheckUsable(ddi) || (Source is not null && !Source.CheckUsable(ddi)))
        {
            return default;
        }
        lock (gate)
        {
            if (!Locked && !BuiltForNonPagedPool)
            {
                Runtime.Verifier.Report(Rules.InvalidMdl, ddi, Name,
                    "the MDL's pages are neither locked (MmProbeAndLockPages) nor nonpaged pool (MmBuildMdlForNonPagedPool)");
                return default;
            }
            if (BuiltForNonPagedPool && Source is null)
            {
                return VirtualAddress;
            }
            if (mapping is not null)
            {
                return new PVOID(mapping, 0);
            }
            if (Runtime.TakeMappingFailure())
            {
                return default;
            }
            var target = VirtualAddress.Allocation!;
            int available = (int)target.BytesAvailableFrom(VirtualAddress.Offset);
            mapping = new Allocation(Runtime, target.Storage, target.Start + (int)VirtualAddress.Offset,
                (int)System.Math.Min((long)available, ByteCount), $"system mapping of {Name}");
            return new PVOID(mapping, 0);
        }
    }

    /// <summary><c>MmUnlockPages</c>: the mapping ends.</summary>
    public void Unlock(string ddi)
    {
        lock (gate)
        {
            if (!Locked)
            {
                Runtime.Verifier.Report(Rules.InvalidMdl, ddi, Name, "the pages are not locked");
                return;
            }
            Locked = false;
            mapping?.TryEnd(new EndReason(Rules.UseAfterFree, $"the pages of {Name} were unlocked by {ddi}"));
            mapping = null;
        }
    }

    /// <summary><c>MmPrepareMdlForReuse</c>: drops a partial MDL's mapping.</summary>
    public void PrepareForReuse()
    {
        lock (gate)
        {
            mapping?.TryEnd(new EndReason(Rules.UseAfterFree, $"{Name} was prepared for reuse"));
            mapping = null;
        }
    }

    /// <summary>Ends the MDL and its mapping (freed, or its request completed). False if it had already ended.</summary>
    public bool EndLife(EndReason reason)
    {
        lock (gate)
        {
            if (end is not null)
            {
                return false;
            }
            end = reason;
            mapping?.TryEnd(reason);
            return true;
        }
    }
}
