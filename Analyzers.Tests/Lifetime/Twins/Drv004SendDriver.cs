using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Lifetime.Twins;

/// <summary>DRV004 twin: the write is sent to the lower target and the send's result is dropped.</summary>
public sealed class Drv004SendBuggyDriver
{
    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfRequestFormatRequestUsingCurrentType(Request);
        WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
        WdfRequestSend(Request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue)), options);
    }
}

/// <summary>DRV004 twin, corrected: where the send fails, the driver completes the request with the send's status.</summary>
public sealed class Drv004SendCorrectDriver
{
    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfRequestFormatRequestUsingCurrentType(Request);
        WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
        if (!WdfRequestSend(Request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue)), options))
        {
            WdfRequestComplete(Request, WdfRequestGetStatus(Request));
        }
    }
}
