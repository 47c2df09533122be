// Scenarios 4 and 5 of reference 000: a driver-created request, reused before every use, reads into a memory
// object that owns its buffer; the completion routine copies the data into the original request and completes it.
namespace ValidCode.CreatedRequest;

public sealed class CreatedRequestDriver
{
    private const uint Tag = 0x74726353; // 'Scrt'
    private const nuint ScratchSize = 64;
    private WDFIOTARGET _target;
    private WDFREQUEST _lower;
    private WDFMEMORY _scratch;

    public NTSTATUS Initialize(WDFIOTARGET target)
    {
        _target = target;
        NTSTATUS status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out _lower);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, ScratchSize, out _scratch, out PVOID scratchBuffer);
    }

    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        NTSTATUS status = WdfRequestReuse(_lower, reuse);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForRead(_target, _lower, _scratch, NULL, NULL);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(_lower, LowerReadDone, Request);
        if (!WdfRequestSend(_lower, _target, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(_lower);
            WdfRequestComplete(Request, status);
        }
    }

    private void LowerReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        if (Context is not WDFREQUEST original)
        {
            return;
        }

        NTSTATUS status = Params.IoStatus.Status;
        nuint information = 0;
        if (NT_SUCCESS(status))
        {
            status = WdfRequestRetrieveOutputBuffer(original, 1, out PVOID output, out nuint outputLength);
            if (NT_SUCCESS(status))
            {
                information = Params.IoStatus.Information < outputLength ? Params.IoStatus.Information : outputLength;
                if (information > ScratchSize)
                {
                    information = ScratchSize;
                }

                status = WdfMemoryCopyToBuffer(_scratch, 0, output, information);
                if (!NT_SUCCESS(status))
                {
                    information = 0;
                }
            }
        }

        WdfRequestCompleteWithInformation(original, status, information);
    }
}
