// Port of the osrusbfx2 / kmdf_fx2 bulk read and write paths: the request received from the
// framework is formatted with its own memory object and forwarded to the lower target
// (scenario 2 of the memory-buffer article); the completion routine completes it.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class Fx2Device
{
    public const nuint TEST_BOARD_TRANSFER_BUFFER_SIZE = 64 * 1024;

    public void OsrFxEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY reqMemory;
        WDFIOTARGET ioTarget;
        bool ret;

        if (Length > TEST_BOARD_TRANSFER_BUFFER_SIZE)
        {
            status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));

        status = WdfRequestRetrieveOutputMemory(Request, out reqMemory);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfIoTargetFormatRequestForRead(ioTarget, Request, reqMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetCompletionRoutine(Request, EvtRequestReadCompletionRoutine, ioTarget);

        ret = WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS);
        if (ret == false)
        {
            status = WdfRequestGetStatus(Request);
            goto Exit;
        }

        return;

    Exit:
        WdfRequestCompleteWithInformation(Request, status, 0);
    }

    public void EvtRequestReadCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        NTSTATUS status;
        nuint bytesRead = 0;

        UNREFERENCED_PARAMETER(Target);
        UNREFERENCED_PARAMETER(Context);

        status = CompletionParams.IoStatus.Status;
        if (NT_SUCCESS(status))
        {
            bytesRead = CompletionParams.IoStatus.Information;
        }

        WdfRequestCompleteWithInformation(Request, status, bytesRead);
    }

    public void OsrFxEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY reqMemory;
        WDFIOTARGET ioTarget;

        if (Length > TEST_BOARD_TRANSFER_BUFFER_SIZE)
        {
            WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
            return;
        }

        ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));

        status = WdfRequestRetrieveInputMemory(Request, out reqMemory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForWrite(ioTarget, Request, reqMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(Request, EvtRequestWriteCompletionRoutine, WDF_NO_CONTEXT);

        if (!WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(Request);
            WdfRequestComplete(Request, status);
        }
    }

    public void EvtRequestWriteCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WdfRequestCompleteWithInformation(Request, CompletionParams.IoStatus.Status, CompletionParams.IoStatus.Information);
    }
}

public sealed class Fx2DeviceBuggy
{
    public const nuint TEST_BOARD_TRANSFER_BUFFER_SIZE = 64 * 1024;

    public void OsrFxEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY reqMemory;
        WDFIOTARGET ioTarget;
        bool ret;

        ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));

        status = WdfRequestRetrieveOutputMemory(Request, out reqMemory);

        status = WdfIoTargetFormatRequestForRead(ioTarget, Request, reqMemory, null, null); // BUG DRV022
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WdfRequestSetCompletionRoutine(Request, EvtRequestReadCompletionRoutine, WDF_NO_CONTEXT);

        ret = WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS);
        if (ret == false)
        {
            status = WdfRequestGetStatus(Request);
            WdfRequestComplete(Request, status);
            goto Exit;
        }

        return;

    Exit:
        WdfRequestCompleteWithInformation(Request, status, 0); // BUG DRV002
    }

    public void EvtRequestReadCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        NTSTATUS status;
        WDFMEMORY reqMemory;
        PVOID buffer;
        nuint bufferSize;

        status = WdfRequestRetrieveOutputMemory(Request, out reqMemory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestCompleteWithInformation(Request, CompletionParams.IoStatus.Status, CompletionParams.IoStatus.Information);

        buffer = WdfMemoryGetBuffer(reqMemory, out bufferSize); // BUG DRV001
        if (bufferSize > 0 && buffer.Read<byte>(0) == 0xFF) // BUG DRV001
        {
            status = WdfRequestGetStatus(Request); // BUG DRV003
        }
    }

    public void OsrFxEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) // BUG DRV004 (reported at the callback's name)
    {
        NTSTATUS status;
        WDFMEMORY reqMemory;
        WDFIOTARGET ioTarget;

        if (Length > TEST_BOARD_TRANSFER_BUFFER_SIZE)
        {
            return; // the request is never completed on this path
        }

        ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));

        status = WdfRequestRetrieveInputMemory(Request, out reqMemory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForWrite(ioTarget, Request, reqMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(Request, EvtRequestWriteCompletionRoutine, WDF_NO_CONTEXT);

        if (!WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(Request);
            WdfRequestComplete(Request, status);
        }
    }

    public void EvtRequestWriteCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WdfRequestCompleteWithInformation(Request, CompletionParams.IoStatus.Status, CompletionParams.IoStatus.Information);
    }
}
