using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Lifetime.Twins;

/// <summary>DRV002 twin: the error path completes the request and falls through to the common completion.</summary>
public sealed class Drv002BuggyDriver
{
    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 16, out PVOID buffer, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
        }

        WdfRequestCompleteWithInformation(Request, status, 0);
    }
}

/// <summary>DRV002 twin, corrected: the error path returns after completing.</summary>
public sealed class Drv002CorrectDriver
{
    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 16, out PVOID buffer, out nuint length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestCompleteWithInformation(Request, status, 0);
    }
}
