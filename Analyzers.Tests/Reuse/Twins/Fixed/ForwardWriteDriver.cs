using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Reuse.Twins.Fixed;

/// <summary>
/// Passes the application's write to the lower driver synchronously through a driver-created request, then
/// "completes" that request instead of deleting it (DRV013).
/// </summary>
public sealed class ForwardWriteDriver
{
    public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        WdfRequestRetrieveInputBuffer(Request, Length, out PVOID data, out nuint _);
        WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out WDF_MEMORY_DESCRIPTOR descriptor, data, (uint)Length);
        WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST forward);
        NTSTATUS status = WdfIoTargetSendWriteSynchronously(target, forward, descriptor, null, null, out nuint written);
        WdfObjectDelete(forward); // done with it
        WdfRequestCompleteWithInformation(Request, status, written);
    }
}
