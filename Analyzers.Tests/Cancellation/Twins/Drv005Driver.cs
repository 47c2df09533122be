using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Cancellation.Twins;

/// <summary>DRV005 twin: the read is marked cancelable, then completed while it is still marked.</summary>
public sealed class Drv005BuggyDriver
{
    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfRequestMarkCancelable(Request, EvtRequestCancel);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
    }

    private static void EvtRequestCancel(WDFREQUEST Request) => WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);
}

/// <summary>DRV005 twin, corrected: the read is kept cancelable and answered later, only if the unmark did not find it canceled.</summary>
public sealed class Drv005CorrectDriver
{
    private WDFREQUEST _pending;

    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfRequestMarkCancelable(Request, EvtRequestCancel);
        _pending = Request;
    }

    public void Answer()
    {
        var request = _pending;
        _pending = default;
        if (request != default && WdfRequestUnmarkCancelable(request) != STATUS_CANCELLED)
        {
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 0);
        }
    }

    private void EvtRequestCancel(WDFREQUEST Request)
    {
        _pending = default;
        WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);
    }
}
