using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// Memory descriptor lists (MDLs), table 7-2 of reference 001. An MDL from a request (direct I/O, or
/// retrieved through WDF) and every address mapped from it end when the request completes (DRV001).
/// </summary>
public static partial class Wdm
{
    public const uint LowPagePriority = 0;
    public const uint NormalPagePriority = 16;
    public const uint HighPagePriority = 32;
    public const uint MdlMappingNoWrite = 0x80000000;
    public const uint MdlMappingNoExecute = 0x40000000;

    /// <summary>The simulated system's page size.</summary>
    public const uint PAGE_SIZE = MemoryDescriptorList.PageSize;

    /// <summary>
    /// Allocates an MDL describing <paramref name="Length"/> bytes at <paramref name="VirtualAddress"/> (not
    /// locked). With an IRP and <paramref name="SecondaryBuffer"/> FALSE it becomes <c>Irp-&gt;MdlAddress</c>.
    /// NULL for length 0.
    /// </summary>
    public static PMDL IoAllocateMdl(PVOID VirtualAddress, uint Length, bool SecondaryBuffer, bool ChargeQuota, IRP? Irp)
    {
        if (Length == 0)
        {
            return default;
        }
        var mdl = new PMDL(new MemoryDescriptorList(AmbientRuntime.Current, VirtualAddress, Length));
        if (Irp is not null && !SecondaryBuffer)
        {
            Irp.MdlAddress = mdl;
        }
        return mdl;
    }

    /// <summary>Makes <paramref name="TargetMdl"/> describe part of <paramref name="SourceMdl"/>'s (locked) pages.</summary>
    public static void IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress, uint Length)
    {
        var source = UseMdl(SourceMdl, nameof(IoBuildPartialMdl));
        var target = UseMdl(TargetMdl, nameof(IoBuildPartialMdl));
        if (source is null || target is null)
        {
            return;
        }
        var start = source.VirtualAddress;
        bool inside = VirtualAddress.Allocation == start.Allocation && VirtualAddress.Offset >= start.Offset
            && VirtualAddress.Offset - start.Offset <= source.ByteCount
            && Length <= source.ByteCount - (uint)(VirtualAddress.Offset - start.Offset);
        if (!inside)
        {
            source.Runtime.Verifier.Report(Rules.OutOfBounds, nameof(IoBuildPartialMdl), source.Name,
                $"{Length} byte(s) at {VirtualAddress} are not inside the {source.ByteCount} byte(s) {source.Name} describes");
            return;
        }
        target.BuildPartial(source, VirtualAddress, Length);
    }

    /// <summary>Frees an MDL from <see cref="IoAllocateMdl"/>; its mapping ends. Freeing twice (or an I/O manager's MDL) is InvalidMdl.</summary>
    public static void IoFreeMdl(PMDL Mdl)
    {
        var mdl = UseMdl(Mdl, nameof(IoFreeMdl));
        if (mdl is null)
        {
            return;
        }
        if (mdl.OwnedBy is { } owner)
        {
            mdl.Runtime.Verifier.Report(Rules.InvalidMdl, nameof(IoFreeMdl), mdl.Name, $"the MDL belongs to {owner}, which frees it");
            return;
        }
        mdl.EndLife(new EndReason(Rules.UseAfterFree, $"{mdl.Name} was freed by IoFreeMdl"));
    }

    /// <summary>Marks an MDL describing nonpaged pool as mapped (its system address is the pool address).</summary>
    public static void MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList) =>
        UseMdl(MemoryDescriptorList, nameof(MmBuildMdlForNonPagedPool))?.BuildForNonPagedPool(nameof(MmBuildMdlForNonPagedPool));

    /// <summary>The number of bytes the MDL describes: the length to use in direct I/O (not the stack location's, DRV043).</summary>
    public static uint MmGetMdlByteCount(PMDL Mdl) => UseMdl(Mdl, nameof(MmGetMdlByteCount))?.ByteCount ?? 0;

    /// <summary>The offset of the buffer within its first page.</summary>
    public static uint MmGetMdlByteOffset(PMDL Mdl) => UseMdl(Mdl, nameof(MmGetMdlByteOffset))?.ByteOffset ?? 0;

    /// <summary>The virtual address the MDL describes (for direct I/O the user address: do not touch it, map the MDL).</summary>
    public static PVOID MmGetMdlVirtualAddress(PMDL Mdl) => UseMdl(Mdl, nameof(MmGetMdlVirtualAddress))?.VirtualAddress ?? NULL;

    /// <summary>
    /// Deprecated: use <see cref="MmGetSystemAddressForMdlSafe"/> with <c>MdlMappingNoExecute</c> (DRV032).
    /// Still works; returns NULL when the mapping fails (drivers written for it often do not check).
    /// </summary>
    public static PVOID MmGetSystemAddressForMdl(PMDL Mdl) =>
        UseMdl(Mdl, nameof(MmGetSystemAddressForMdl))?.Map(nameof(MmGetSystemAddressForMdl)) ?? NULL;

    /// <summary>A system address for the MDL's locked pages; NULL when the system runs out of mapping resources.</summary>
    public static PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, uint Priority) =>
        UseMdl(Mdl, nameof(MmGetSystemAddressForMdlSafe))?.Map(nameof(MmGetSystemAddressForMdlSafe)) ?? NULL;

    /// <summary>(Re)initialises an MDL to describe <paramref name="Length"/> bytes at <paramref name="BaseVa"/>.</summary>
    public static void MmInitializeMdl(PMDL MemoryDescriptorList, PVOID BaseVa, nuint Length) =>
        UseMdl(MemoryDescriptorList, nameof(MmInitializeMdl))?.Describe(BaseVa, (uint)Length);

    /// <summary>Drops a partial MDL's mapping so it can describe another part.</summary>
    public static void MmPrepareMdlForReuse(PMDL Mdl) => UseMdl(Mdl, nameof(MmPrepareMdlForReuse))?.PrepareForReuse();

    /// <summary>
    /// Checks the described range is valid memory and locks it; raises <see cref="NtStatusException"/>
    /// (STATUS_ACCESS_VIOLATION) otherwise, for the driver's <c>__try/__except</c>.
    /// </summary>
    public static void MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation) =>
        UseMdl(MemoryDescriptorList, nameof(MmProbeAndLockPages))?.ProbeAndLock(nameof(MmProbeAndLockPages));

    /// <summary>The bytes an MDL for this buffer needs: the header plus one entry per spanned page.</summary>
    public static nuint MmSizeOfMdl(PVOID Base, nuint Length) => MemoryDescriptorList.SizeFor(Base, Length);

    /// <summary>Unlocks pages locked by <see cref="MmProbeAndLockPages"/>; their system mapping ends.</summary>
    public static void MmUnlockPages(PMDL MemoryDescriptorList) =>
        UseMdl(MemoryDescriptorList, nameof(MmUnlockPages))?.Unlock(nameof(MmUnlockPages));

    private static MemoryDescriptorList? UseMdl(PMDL handle, string ddi)
    {
        var mdl = handle.Object;
        if (mdl is null)
        {
            AmbientRuntime.Current.Verifier.Report(Rules.NullHandleUse, ddi, handle.ToString(),
                "a NULL MDL was passed (a failed IoAllocateMdl or retrieve, or a request without a buffer)");
            return null;
        }
        return mdl.CheckUsable(ddi) ? mdl : null;
    }
}
