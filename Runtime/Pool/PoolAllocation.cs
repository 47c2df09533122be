using DriverBuffers.Framework;
using DriverBuffers.Memory;

namespace DriverBuffers.Pool;

/// <summary>One block of pool: its tag, whether quota was charged, and who owns it.</summary>
internal sealed class PoolAllocation : Allocation
{
    public PoolAllocation(DriverRuntime runtime, int length, uint tag, bool chargedQuota, string allocator)
        : base(runtime, new Storage(length), 0, length, $"pool#{ObjectIds.Next()}")
    {
        Tag = tag;
        ChargedQuota = chargedQuota;
        Allocator = allocator;
    }

    public uint Tag { get; }

    public bool ChargedQuota { get; }

    /// <summary>The DDI that allocated it, for leak reports.</summary>
    public string Allocator { get; }

    /// <summary>
    /// Set for the buffer of a memory object from <c>WdfMemoryCreate</c> or a lookaside list: the framework
    /// frees it, the driver may not.
    /// </summary>
    public string? FrameworkOwner { get; set; }

    /// <summary>An MDL the driver keeps in this allocation (C's <c>(PMDL)ExAllocatePool2(...)</c>).</summary>
    public MemoryDescriptorList? EmbeddedMdl { get; set; }

    public string Describe() => $"{Name} (tag '{PoolTags.ToText(Tag)}', {Length} bytes, from {Allocator})";
}
