// A toaster filter that sends its own driver-created requests (scenarios 3 and 5 of the
// memory-buffer article): one request created at device add and reused for every write
// (it carries the original write's memory object), a polling loop on a second request, and a
// continuous reader that re-sends its request from the completion routine.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class ToasterFilterDevice
{
    public WDFREQUEST WriteRequest;
    public WDFREQUEST ReaderRequest;
    public WDFMEMORY ReaderMemory;
    public WDFIOTARGET Target;
    public int ReadsCompleted;
    public int MaxReads = 3;

    public NTSTATUS ToasterFilterCreateRequests(WDFDEVICE Device)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES attributes;

        Target = WdfDeviceGetIoTarget(Device);

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;

        status = WdfRequestCreate(attributes, Target, out WriteRequest);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfRequestCreate(attributes, Target, out ReaderRequest);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, 0x74736F54, 16, out ReaderMemory, out _);
        return status;
    }

    public void ToasterFilterEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(WriteRequest, reuseParams);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForWrite(Target, WriteRequest, memory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(WriteRequest, ToasterFilterWriteCompletion, Request);

        if (!WdfRequestSend(WriteRequest, Target, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(WriteRequest);
            WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(WriteRequest, reuseParams);
            WdfRequestComplete(Request, status);
        }
    }

    public void ToasterFilterWriteCompletion(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        WDFREQUEST originalRequest = (WDFREQUEST)Context!;
        NTSTATUS status = Params.IoStatus.Status;
        nuint information = Params.IoStatus.Information;
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        WdfRequestReuse(Request, reuseParams);

        WdfRequestCompleteWithInformation(originalRequest, status, information);
    }

    // Polls a register block: the same synchronous request is reused for every read.
    public NTSTATUS ToasterFilterPollRegisters(WDFDEVICE Device, WDFMEMORY Registers, int Count)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDFREQUEST request;
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        WDF_REQUEST_SEND_OPTIONS options;
        WDFIOTARGET target = WdfDeviceGetIoTarget(Device);

        status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out request);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_REQUEST_SEND_OPTIONS_INIT(out options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);

        for (int i = 0; i < Count; i++)
        {
            WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            status = WdfRequestReuse(request, reuseParams);
            if (!NT_SUCCESS(status))
            {
                break;
            }

            status = WdfIoTargetFormatRequestForRead(target, request, Registers, null, i * 4);
            if (!NT_SUCCESS(status))
            {
                break;
            }

            if (!WdfRequestSend(request, target, options))
            {
                status = WdfRequestGetStatus(request);
                break;
            }

            status = WdfRequestGetStatus(request);
            if (!NT_SUCCESS(status))
            {
                break;
            }
        }

        WdfObjectDelete(request);
        return status;
    }

    // Continuous reader: the completion routine re-arms the same request.
    // Called from EvtDeviceD0Entry, so possibly more than once: reuse before formatting.
    public NTSTATUS ToasterFilterStartReader()
    {
        NTSTATUS status;
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        ReadsCompleted = 0;
        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(ReaderRequest, reuseParams);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfIoTargetFormatRequestForRead(Target, ReaderRequest, ReaderMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfRequestSetCompletionRoutine(ReaderRequest, ToasterFilterReaderCompletion, this);
        if (!WdfRequestSend(ReaderRequest, Target, WDF_NO_SEND_OPTIONS))
        {
            return WdfRequestGetStatus(ReaderRequest);
        }

        return STATUS_SUCCESS;
    }

    public void ToasterFilterReaderCompletion(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        NTSTATUS status;

        if (!NT_SUCCESS(Params.IoStatus.Status) || ++ReadsCompleted >= MaxReads)
        {
            return;
        }

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        WdfRequestReuse(Request, reuseParams);

        status = WdfIoTargetFormatRequestForRead(Target, Request, ReaderMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            return;
        }

        WdfRequestSetCompletionRoutine(Request, ToasterFilterReaderCompletion, Context);
        WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);
    }
}

public sealed class ToasterFilterDeviceBuggy
{
    public WDFREQUEST WriteRequest;
    public WDFREQUEST ReaderRequest;
    public WDFMEMORY ReaderMemory;
    public WDFIOTARGET Target;
    public int ReadsCompleted;
    public int MaxReads = 3;

    public NTSTATUS ToasterFilterCreateRequests(WDFDEVICE Device)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES attributes;

        Target = WdfDeviceGetIoTarget(Device);

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;

        status = WdfRequestCreate(attributes, Target, out WriteRequest);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfRequestCreate(attributes, Target, out ReaderRequest);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, 0x74736F54, 16, out ReaderMemory, out _);
        return status;
    }

    public void ToasterFilterEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(WriteRequest, reuseParams);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForWrite(Target, WriteRequest, memory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(WriteRequest, ToasterFilterWriteCompletion, Request);

        if (!WdfRequestSend(WriteRequest, Target, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(WriteRequest);
            WdfRequestComplete(Request, status); // BUG DRV010
        }
    }

    public void ToasterFilterWriteCompletion(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        WDFREQUEST originalRequest = (WDFREQUEST)Context!;

        WdfRequestCompleteWithInformation(originalRequest, Params.IoStatus.Status, Params.IoStatus.Information); // BUG DRV010
    }

    public NTSTATUS ToasterFilterPollRegisters(WDFDEVICE Device, WDFMEMORY Registers, int Count)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDFREQUEST request;
        WDF_REQUEST_SEND_OPTIONS options;
        WDFIOTARGET target = WdfDeviceGetIoTarget(Device);

        status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out request);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_REQUEST_SEND_OPTIONS_INIT(out options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);

        for (int i = 0; i < Count; i++)
        {
            status = WdfIoTargetFormatRequestForRead(target, request, Registers, null, i * 4); // BUG DRV011
            if (!NT_SUCCESS(status))
            {
                break;
            }

            if (!WdfRequestSend(request, target, options))
            {
                status = WdfRequestGetStatus(request);
                break;
            }
        }

        WdfRequestComplete(request, status); // BUG DRV013
        return status;
    }

    // Called from EvtDeviceD0Entry, so possibly more than once: reuse before formatting.
    public NTSTATUS ToasterFilterStartReader()
    {
        NTSTATUS status;
        WDF_REQUEST_REUSE_PARAMS reuseParams;

        ReadsCompleted = 0;
        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(ReaderRequest, reuseParams);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        status = WdfIoTargetFormatRequestForRead(Target, ReaderRequest, ReaderMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WdfRequestSetCompletionRoutine(ReaderRequest, ToasterFilterReaderCompletion, this);
        if (!WdfRequestSend(ReaderRequest, Target, WDF_NO_SEND_OPTIONS))
        {
            return WdfRequestGetStatus(ReaderRequest);
        }

        return STATUS_SUCCESS;
    }

    public void ToasterFilterReaderCompletion(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        WDF_REQUEST_REUSE_PARAMS reuseParams;
        NTSTATUS status;

        if (!NT_SUCCESS(Params.IoStatus.Status) || ++ReadsCompleted >= MaxReads)
        {
            return;
        }

        WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        WdfRequestReuse(Request, reuseParams);

        status = WdfIoTargetFormatRequestForRead(Target, Request, ReaderMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            return;
        }

        WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS); // BUG DRV012
    }
}
