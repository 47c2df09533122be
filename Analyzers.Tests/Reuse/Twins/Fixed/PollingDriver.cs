using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Reuse.Twins.Fixed;

/// <summary>
/// Reference 000, scenario 5: answers a read with two samples, read one after the other through the same
/// driver-created request from its completion routine. It reuses the request and sends it again without
/// setting the completion routine again (DRV012), so it is never told the second read completed.
/// </summary>
public sealed class PollingDriver
{
    public const int Samples = 2;

    private sealed class PollState
    {
        public WDFREQUEST Original;
        public PVOID Output;
        public WDFMEMORY Sample;
        public PVOID SampleBuffer;
        public nuint Count;
    }

    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        var state = new PollState { Original = Request };
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, Samples, out state.Output, out nuint _);
        if (NT_SUCCESS(status))
        {
            status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x6C6C6F50, 1, out state.Sample, out state.SampleBuffer);
        }

        if (!NT_SUCCESS(status) || !NT_SUCCESS(WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST poll)))
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        WdfIoTargetFormatRequestForRead(target, poll, state.Sample, null, null);
        WdfRequestSetCompletionRoutine(poll, PollComplete, state);
        WdfRequestSend(poll, target, WDF_NO_SEND_OPTIONS);
    }

    private void PollComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        var state = (PollState)Context!;
        state.Output.Write<byte>(state.Count, state.SampleBuffer.Read<byte>(0));
        if (++state.Count < Samples)
        {
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(Request, reuse);
            WdfRequestSetCompletionRoutine(Request, PollComplete, Context);
            WdfIoTargetFormatRequestForRead(Target, Request, state.Sample, null, null);
            WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);
            return;
        }

        WdfObjectDelete(Request);
        WdfObjectDelete(state.Sample);
        WdfRequestCompleteWithInformation(state.Original, STATUS_SUCCESS, Samples);
    }
}
