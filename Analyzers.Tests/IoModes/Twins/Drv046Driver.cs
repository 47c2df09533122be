using DriverBuffers;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// DRV046 twin (PREfast C28131): DriverEntry keeps its RegistryPath instead of a copy. Compiled and run by
/// <see cref="Drv046TwinTests"/> and analyzed as text by the same tests.
/// </summary>
public static class Drv046Driver
{
    private const uint Tag = 0x50676552; // 'RegP'

    public static UNICODE_STRING? SavedPath;

    public static readonly UNICODE_STRING PathCopy = new();

    /// <summary>The bug: the pointer is kept; the string dies when DriverEntry returns.</summary>
    public static NTSTATUS DriverEntryKeepingThePath(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        SavedPath = RegistryPath;
        return STATUS_SUCCESS;
    }

    /// <summary>The fix: a copy in driver-owned memory, freed at unload.</summary>
    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        PathCopy.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, (nuint)RegistryPath.Length + 2, Tag);
        if (PathCopy.Buffer == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        PathCopy.MaximumLength = (ushort)(RegistryPath.Length + 2);
        RtlCopyUnicodeString(PathCopy, RegistryPath);
        DriverObject.DriverUnload = Unload;
        return STATUS_SUCCESS;
    }

    /// <summary>Later code (a work item, AddDevice) that reads the saved path.</summary>
    public static ushort SavedPathLength() => SavedPath!.Length;

    private static void Unload(DRIVER_OBJECT DriverObject) => ExFreePoolWithTag(PathCopy.Buffer, Tag);
}
