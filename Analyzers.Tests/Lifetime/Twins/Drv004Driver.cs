using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Lifetime.Twins;

/// <summary>DRV004 twin: an unknown IOCTL leaves the callback without completing the request.</summary>
public sealed class Drv004BuggyDriver
{
    public const uint IoctlPing = 0x222000;

    public void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        if (IoControlCode != IoctlPing)
        {
            return;
        }

        WdfRequestComplete(Request, STATUS_SUCCESS);
    }
}

/// <summary>DRV004 twin, corrected: an unknown IOCTL is completed with an error.</summary>
public sealed class Drv004CorrectDriver
{
    public const uint IoctlPing = 0x222000;

    public void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        if (IoControlCode != IoctlPing)
        {
            WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
            return;
        }

        WdfRequestComplete(Request, STATUS_SUCCESS);
    }
}
