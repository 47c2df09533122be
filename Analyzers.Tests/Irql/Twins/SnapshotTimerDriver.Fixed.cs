using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Irql.Twins.Fixed;

/// <summary>
/// Run-time twin of DRV037: a one-shot timer on the device stamps a snapshot block; a timer callback runs at
/// DISPATCH_LEVEL. This is <c>Twins.Buggy</c>'s file after the DRV037 code fix: nonpaged pool, fine at DISPATCH_LEVEL.
/// </summary>
public static class SnapshotTimerDriver
{
    private const uint Tag = 0x70616E53; // "Snap" in pool dumps

    /// <summary>The last value stamped.</summary>
    public static ulong LastStamp;

    public static NTSTATUS Start(WDFDEVICE Device)
    {
        WDF_TIMER_CONFIG_INIT(out var config, EvtSnapshotTimer);
        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ParentObject = Device;
        NTSTATUS status = WdfTimerCreate(config, attributes, out var timer);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(1));
        return STATUS_SUCCESS;
    }

    public static void EvtSnapshotTimer(WDFTIMER Timer)
    {
        PVOID snapshot = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tag);
        if (snapshot == NULL)
        {
            return;
        }

        snapshot.Write<ulong>(0, 0x1234);
        LastStamp = snapshot.Read<ulong>(0);
        ExFreePoolWithTag(snapshot, Tag);
    }
}
