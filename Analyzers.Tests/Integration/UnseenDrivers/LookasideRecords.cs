// A driver that stages fixed-size records through a lookaside list (memory-buffer article,
// "using lookaside lists"): every write is copied into a record and sent synchronously to the
// lower target; every read fetches a record synchronously and copies it to the caller.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class RecordDevice
{
    public const uint RecordTag = 0x64636552; // 'Recd'
    public const nuint RECORD_SIZE = 256;

    public WDFLOOKASIDE Lookaside;
    public WDFIOTARGET Target;

    public NTSTATUS RecordDeviceAdd(WDFDEVICE Device)
    {
        WDF_OBJECT_ATTRIBUTES attributes;

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;
        Target = WdfDeviceGetIoTarget(Device);

        return WdfLookasideListCreate(attributes, RECORD_SIZE, NonPagedPoolNx, WDF_NO_OBJECT_ATTRIBUTES, RecordTag, out Lookaside);
    }

    public void RecordEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY record = default;
        PVOID recordBuffer, input;
        nuint recordSize, inputLength;
        WDF_MEMORY_DESCRIPTOR descriptor;
        nuint bytesWritten = 0;

        status = WdfRequestRetrieveInputBuffer(Request, 1, out input, out inputLength);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfMemoryCreateFromLookaside(Lookaside, out record);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        recordBuffer = WdfMemoryGetBuffer(record, out recordSize);
        if (inputLength > recordSize)
        {
            status = STATUS_INVALID_BUFFER_SIZE;
            goto Exit;
        }

        RtlZeroMemory(recordBuffer, recordSize);
        RtlCopyMemory(recordBuffer, input, inputLength);

        WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out descriptor, record, null);
        status = WdfIoTargetSendWriteSynchronously(Target, WDF_NO_HANDLE, descriptor, null, null, out bytesWritten);

    Exit:
        if (record != default)
        {
            WdfObjectDelete(record);
        }

        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? inputLength : 0);
    }

    public void RecordEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY output;
        WDFMEMORY record = default;
        PVOID recordBuffer;
        nuint recordSize;
        nuint bytesRead = 0;
        WDF_MEMORY_DESCRIPTOR descriptor;

        status = WdfRequestRetrieveOutputMemory(Request, out output);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfMemoryCreateFromLookaside(Lookaside, out record);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out descriptor, record, null);
        status = WdfIoTargetSendReadSynchronously(Target, WDF_NO_HANDLE, descriptor, null, null, out bytesRead);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        recordBuffer = WdfMemoryGetBuffer(record, out recordSize);
        if (bytesRead > recordSize)
        {
            bytesRead = recordSize;
        }

        if (bytesRead > Length)
        {
            bytesRead = Length;
        }

        status = WdfMemoryCopyFromBuffer(output, 0, recordBuffer, bytesRead);

    Exit:
        if (record != default)
        {
            WdfObjectDelete(record);
        }

        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? bytesRead : 0);
    }
}

public sealed class RecordDeviceBuggy
{
    public const uint RecordTag = 0x64636552; // 'Recd'
    public const nuint RECORD_SIZE = 256;

    public WDFLOOKASIDE Lookaside;
    public WDFIOTARGET Target;

    public NTSTATUS RecordDeviceAdd(WDFDEVICE Device)
    {
        WDF_OBJECT_ATTRIBUTES attributes;

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Device;
        Target = WdfDeviceGetIoTarget(Device);

        return WdfLookasideListCreate(attributes, RECORD_SIZE, NonPagedPool, WDF_NO_OBJECT_ATTRIBUTES, RecordTag, out Lookaside); // BUG DRV031
    }

    public void RecordEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY record = default;
        PVOID recordBuffer, input;
        nuint recordSize, inputLength;
        WDF_MEMORY_DESCRIPTOR descriptor;
        nuint bytesWritten = 0;

        status = WdfRequestRetrieveInputBuffer(Request, 1, out input, out inputLength);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfMemoryCreateFromLookaside(Lookaside, out record);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        recordBuffer = WdfMemoryGetBuffer(record, out recordSize);
        RtlCopyMemory(recordBuffer, input, inputLength); // BUG DRV020

        WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out descriptor, record, null);
        status = WdfIoTargetSendWriteSynchronously(Target, WDF_NO_HANDLE, descriptor, null, null, out bytesWritten);

    Exit:
        if (record != default)
        {
            WdfObjectDelete(record);
        }

        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? inputLength : 0);
    }

    public void RecordEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY output;
        WDFMEMORY record;
        PVOID recordBuffer;
        nuint recordSize;
        nuint bytesRead = 0;
        WDF_MEMORY_DESCRIPTOR descriptor;

        status = WdfRequestRetrieveOutputMemory(Request, out output);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfMemoryCreateFromLookaside(Lookaside, out record);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out descriptor, record, null);
        status = WdfIoTargetSendReadSynchronously(Target, WDF_NO_HANDLE, descriptor, null, null, out bytesRead);
        if (NT_SUCCESS(status))
        {
            recordBuffer = WdfMemoryGetBuffer(record, out recordSize);
            bytesRead = bytesRead < recordSize ? bytesRead : recordSize;
            bytesRead = bytesRead < Length ? bytesRead : Length;
            WdfMemoryCopyFromBuffer(output, 0, recordBuffer, bytesRead); // BUG DRV021
        }

        WdfObjectDelete(record);
        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? bytesRead : 0);
    }
}
