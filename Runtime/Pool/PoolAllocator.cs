using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers.Pool;

/// <summary>What one allocation call asks for, after its DDI translated pool types or flags.</summary>
internal readonly record struct PoolRequest(
    string Ddi, nuint NumberOfBytes, uint Tag, bool Zeroed, bool ChargeQuota, bool RaiseOnFailure, bool Paged = false);

/// <summary>
/// The simulated pool of one runtime: live allocations, tags, quota, injected failures, and the leak
/// check at driver unload.
/// </summary>
internal sealed class PoolAllocator
{
    /// <summary>Larger requests fail as a real pool would fail a request it cannot satisfy.</summary>
    public const long MaxAllocationBytes = 64L * 1024 * 1024;

    private readonly object gate = new();
    private readonly HashSet<PoolAllocation> live = new();
    private long quotaCharged;
    private int failuresToInject;

    public PoolAllocator(DriverRuntime runtime) => Runtime = runtime;

    public DriverRuntime Runtime { get; }

    /// <summary>Bytes charged to the process quota (<c>POOL_FLAG_USE_QUOTA</c>, <c>…WithQuota*</c>).</summary>
    public long QuotaCharged { get { lock (gate) { return quotaCharged; } } }

    /// <summary>The quota limit; allocations that would exceed it fail with STATUS_QUOTA_EXCEEDED.</summary>
    public long QuotaLimit { get; set; } = long.MaxValue;

    public IReadOnlyList<PoolAllocation> Outstanding { get { lock (gate) { return live.ToArray(); } } }

    /// <summary>Makes the next <paramref name="count"/> allocations fail (low-memory simulation).</summary>
    public void FailNext(int count)
    {
        lock (gate) { failuresToInject = count; }
    }

    /// <summary>Allocates, or returns NULL / raises <see cref="NtStatusException"/> as the request says.</summary>
    public PVOID Allocate(PoolRequest request)
    {
        if (request.Paged && ThreadIrql.AboveApcLevel)
        {
            Runtime.Verifier.Report(Rules.PagedMemoryAboveApcLevel, request.Ddi, $"{request.NumberOfBytes} byte(s) of paged pool",
                $"paged pool allocated at {ThreadIrql.Current}; allocate nonpaged pool (POOL_FLAG_NON_PAGED, NonPagedPoolNx) where the IRQL may be above APC_LEVEL");
        }
        var failure = Reserve(request);
        if (failure is { } status)
        {
            if (request.RaiseOnFailure)
            {
                throw new NtStatusException(status, $"{request.Ddi} could not allocate {request.NumberOfBytes} bytes");
            }
            return default;
        }
        var allocation = new PoolAllocation(Runtime, (int)request.NumberOfBytes, request.Tag, request.ChargeQuota, request.Ddi)
        {
            Pageable = request.Paged,
            AllocatedAt = Runtime.Verifier.CaptureAllocationStack(),
        };
        if (!request.Zeroed)
        {
            allocation.RawBytes.Fill(MemoryPatterns.Uninitialized);
        }
        lock (gate) { live.Add(allocation); }
        return new PVOID(allocation, 0);
    }

    private NTSTATUS? Reserve(PoolRequest request)
    {
        lock (gate)
        {
            if (failuresToInject > 0)
            {
                failuresToInject--;
                return Wdm.STATUS_INSUFFICIENT_RESOURCES;
            }
            if (request.NumberOfBytes > MaxAllocationBytes)
            {
                return Wdm.STATUS_INSUFFICIENT_RESOURCES;
            }
            if (request.ChargeQuota)
            {
                if (quotaCharged + (long)request.NumberOfBytes > QuotaLimit)
                {
                    return Wdm.STATUS_QUOTA_EXCEEDED;
                }
                quotaCharged += (long)request.NumberOfBytes;
            }
            return null;
        }
    }

    /// <summary>Frees a driver-owned allocation; <paramref name="tag"/> is null for <c>ExFreePool</c>.</summary>
    public void Free(PVOID pointer, uint? tag, string ddi)
    {
        var allocation = FindFreeable(pointer, ddi);
        if (allocation is null)
        {
            return;
        }
        if (tag is { } expected && expected != allocation.Tag)
        {
            Runtime.Verifier.Report(Rules.BadPoolFree, ddi, pointer.ToString(),
                $"freed with tag '{PoolTags.ToText(expected)}' but {allocation.Describe()} has tag '{PoolTags.ToText(allocation.Tag)}'");
        }
        if (allocation.PendingRequestUses > 0)
        {
            Runtime.Verifier.Report(Rules.PreallocatedBufferFreedWhilePending, ddi, pointer.ToString(),
                $"{allocation.Describe()} backs a WdfMemoryCreatePreallocated memory object used by a request that is still pending; " +
                "the memory object does not own the buffer, so the target would write into freed memory");
        }
        Release(allocation, $"{allocation.Name} was freed by {ddi}");
    }

    /// <summary>Frees an allocation the framework owns (memory object buffers, lookaside buffers).</summary>
    public void Release(PoolAllocation allocation, string why)
    {
        if (!allocation.TryEnd(new EndReason(Rules.UseAfterFree, why)))
        {
            return;
        }
        lock (gate)
        {
            live.Remove(allocation);
            if (allocation.ChargedQuota)
            {
                quotaCharged -= allocation.Length;
            }
        }
    }

    private PoolAllocation? FindFreeable(PVOID pointer, string ddi)
    {
        string problem;
        if (pointer.Allocation is not PoolAllocation allocation)
        {
            problem = pointer.Allocation is null ? "NULL is not a pool allocation" : $"{pointer.Allocation.Name} is not pool memory";
        }
        else if (pointer.Offset != 0)
        {
            problem = $"the address is 0x{pointer.Offset:X} bytes into {allocation.Describe()}, not its start";
        }
        else if (allocation.FrameworkOwner is { } owner)
        {
            problem = $"{allocation.Describe()} is owned by {owner}; delete the memory object instead";
        }
        else if (allocation.End is { } end)
        {
            Runtime.Verifier.Report(Rules.BadPoolFree, ddi, pointer.ToString(), $"double free: {end.Detail}");
            return null;
        }
        else
        {
            return allocation;
        }
        Runtime.Verifier.Report(Rules.InvalidPoolFree, ddi, pointer.ToString(), problem);
        return null;
    }

    /// <summary>Records a PoolLeak violation for every driver-owned allocation still outstanding.</summary>
    public List<WdfViolationException> ReportLeaks(string ddi)
    {
        var leaks = new List<WdfViolationException>();
        foreach (var allocation in Outstanding.Where(a => a.FrameworkOwner is null))
        {
            var leak = Runtime.Verifier.Record(Rules.PoolLeak, ddi, $"PVOID({allocation.Name})", $"{allocation.Describe()} was never freed");
            leak.AllocationStack = allocation.AllocatedAt;
            leaks.Add(leak);
        }
        return leaks;
    }
}
