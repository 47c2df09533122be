using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Lifetime.Twins;

/// <summary>DRV001 twin: the output buffer is written after the request was completed.</summary>
public sealed class Drv001BuggyDriver
{
    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);
        buffer.Write<uint>(0, 0x12345678);
    }
}

/// <summary>DRV001 twin, corrected: the buffer is written before the request is completed.</summary>
public sealed class Drv001CorrectDriver
{
    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        buffer.Write<uint>(0, 0x12345678);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);
    }
}
