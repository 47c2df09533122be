using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Lifetime.Twins;

/// <summary>DRV003 twin: the request's information is read after it was completed (through a helper that completes).</summary>
public sealed class Drv003BuggyDriver
{
    public nuint LastInformation { get; private set; }

    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfRequestSetInformation(Request, Length);
        Finish(Request);
        LastInformation = WdfRequestGetInformation(Request);
    }

    private static void Finish(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
}

/// <summary>DRV003 twin, corrected: the information is read before the request is completed.</summary>
public sealed class Drv003CorrectDriver
{
    public nuint LastInformation { get; private set; }

    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfRequestSetInformation(Request, Length);
        LastInformation = WdfRequestGetInformation(Request);
        Finish(Request);
    }

    private static void Finish(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
}
