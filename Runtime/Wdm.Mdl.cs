using System;

namespace DriverBuffers;

/// <summary>Memory descriptor lists (MDLs).</summary>
public static partial class Wdm
{
    public const uint LowPagePriority = 0;
    public const uint NormalPagePriority = 16;
    public const uint HighPagePriority = 32;
    public const uint MdlMappingNoWrite = 0x80000000;
    public const uint MdlMappingNoExecute = 0x40000000;

    public static PMDL IoAllocateMdl(PVOID VirtualAddress, uint Length, bool SecondaryBuffer, bool ChargeQuota, IRP? Irp) =>
        throw new NotImplementedException();

    public static void IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress, uint Length) =>
        throw new NotImplementedException();

    public static void IoFreeMdl(PMDL Mdl) => throw new NotImplementedException();

    public static void MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList) => throw new NotImplementedException();

    public static uint MmGetMdlByteCount(PMDL Mdl) => throw new NotImplementedException();

    public static uint MmGetMdlByteOffset(PMDL Mdl) => throw new NotImplementedException();

    public static PVOID MmGetMdlVirtualAddress(PMDL Mdl) => throw new NotImplementedException();

    /// <summary>Deprecated: use <see cref="MmGetSystemAddressForMdlSafe"/>. Returns NULL when the mapping fails.</summary>
    public static PVOID MmGetSystemAddressForMdl(PMDL Mdl) => throw new NotImplementedException();

    public static PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, uint Priority) => throw new NotImplementedException();

    public static void MmInitializeMdl(PMDL MemoryDescriptorList, PVOID BaseVa, nuint Length) => throw new NotImplementedException();

    public static void MmPrepareMdlForReuse(PMDL Mdl) => throw new NotImplementedException();

    public static void MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation) =>
        throw new NotImplementedException();

    public static nuint MmSizeOfMdl(PVOID Base, nuint Length) => throw new NotImplementedException();

    public static void MmUnlockPages(PMDL MemoryDescriptorList) => throw new NotImplementedException();
}
