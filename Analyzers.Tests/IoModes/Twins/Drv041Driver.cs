using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.IoModes.Twins;

/// <summary>
/// DRV041 twin: pointing a memory object at another buffer. Compiled and run by <see cref="Drv041TwinTests"/>
/// and analyzed as text by the same tests.
/// </summary>
public static class Drv041Driver
{
    private const uint Tag = 0x31344452; // 'RD41'

    /// <summary>Bug: memory from WdfMemoryCreate owns its buffer; it cannot be given another one.</summary>
    public static NTSTATUS RetargetOwnedMemory(PVOID other)
    {
        NTSTATUS status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, 16, out WDFMEMORY memory, out PVOID buffer);
        if (!NT_SUCCESS(status)) { return status; }
        status = WdfMemoryAssignBuffer(memory, other, 16);
        WdfObjectDelete(memory);
        return status;
    }

    /// <summary>Correct: a preallocated memory object describes driver-owned buffers and may be re-pointed.</summary>
    public static NTSTATUS RetargetPreallocatedMemory(PVOID first, PVOID other)
    {
        NTSTATUS status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, first, 16, out WDFMEMORY memory);
        if (!NT_SUCCESS(status)) { return status; }
        status = WdfMemoryAssignBuffer(memory, other, 16);
        WdfObjectDelete(memory);
        return status;
    }
}
