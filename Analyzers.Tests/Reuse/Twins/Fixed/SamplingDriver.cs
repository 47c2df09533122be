using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Reuse.Twins.Fixed;

/// <summary>
/// Reference 000, scenario 5: answers a read with four one-byte samples, each read from the lower driver
/// through the same driver-created request. It formats the request again without WdfRequestReuse (DRV011).
/// </summary>
public sealed class SamplingDriver
{
    public const int Samples = 4;

    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, Samples, out PVOID output, out nuint _);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x706D6153, 1, out WDFMEMORY sample, out PVOID sampleBuffer);
        WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST poll);
        WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
        for (nuint i = 0; i < Samples; i++)
        {
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(poll, reuseParams);
            WdfIoTargetFormatRequestForRead(target, poll, sample, null, null);
            WdfRequestSend(poll, target, options);
            output.Write<byte>(i, sampleBuffer.Read<byte>(0));
        }

        WdfObjectDelete(poll);
        WdfObjectDelete(sample);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Samples);
    }
}
