// Port of the KMDF "echo" sample's queue.c: a write stores the caller's data in a pool buffer
// kept in the queue context, a read hands it back. Correct code first, then a buggy port.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class EchoQueueContext
{
    public const uint EchoTag = 0x316D6173; // 'sam1'
    public const nuint MaxWriteLength = 1024 * 40;

    public PVOID Buffer;
    public nuint Length;

    public void EchoEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;

        UNREFERENCED_PARAMETER(Queue);

        if (this.Buffer == NULL)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
            return;
        }

        if (this.Length < Length)
        {
            Length = this.Length;
        }

        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestCompleteWithInformation(Request, status, 0);
            return;
        }

        status = WdfMemoryCopyFromBuffer(memory, 0, this.Buffer, Length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestCompleteWithInformation(Request, status, Length);
    }

    public void EchoEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;

        UNREFERENCED_PARAMETER(Queue);

        if (Length > MaxWriteLength)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_BUFFER_OVERFLOW, 0);
            return;
        }

        status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        if (this.Buffer != NULL)
        {
            ExFreePoolWithTag(this.Buffer, EchoTag);
            this.Buffer = NULL;
            this.Length = 0;
        }

        this.Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, Length, EchoTag);
        if (this.Buffer == NULL)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_INSUFFICIENT_RESOURCES, 0);
            return;
        }

        this.Length = Length;

        status = WdfMemoryCopyToBuffer(memory, 0, this.Buffer, Length);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(this.Buffer, EchoTag);
            this.Buffer = NULL;
            this.Length = 0;
            EchoCompleteRequest(Request, status, 0);
            return;
        }

        EchoCompleteRequest(Request, status, Length);
    }

    // EvtIoQueueContextDestroy
    public void EchoEvtIoQueueContextDestroy()
    {
        if (this.Buffer != NULL)
        {
            ExFreePoolWithTag(this.Buffer, EchoTag);
            this.Buffer = NULL;
        }
    }

    private static void EchoCompleteRequest(WDFREQUEST Request, NTSTATUS Status, nuint Information)
    {
        WdfRequestCompleteWithInformation(Request, Status, Information);
    }
}

public sealed class EchoQueueContextBuggy
{
    public const uint EchoTag = 0x316D6173; // 'sam1'
    public const uint OtherTag = 0x326D6173; // 'sam2'

    public PVOID Buffer;
    public nuint Length;

    public void EchoEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;

        UNREFERENCED_PARAMETER(Queue);

        if (this.Length < Length)
        {
            Length = this.Length;
        }

        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestCompleteWithInformation(Request, status, 0);
            return;
        }

        WdfMemoryCopyFromBuffer(memory, 0, this.Buffer, Length); // BUG DRV021
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
        WdfRequestSetInformation(Request, Length); // BUG DRV003
    }

    public void EchoEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;

        UNREFERENCED_PARAMETER(Queue);

        status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        this.Buffer = ExAllocatePoolWithTag(NonPagedPoolNx, Length, EchoTag); // BUG DRV030
        if (this.Buffer == NULL)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_INSUFFICIENT_RESOURCES, 0);
            return;
        }

        this.Length = Length;

        status = WdfMemoryCopyToBuffer(memory, 0, this.Buffer, Length);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(this.Buffer, OtherTag); // BUG DRV034
            this.Buffer = NULL;
            WdfRequestComplete(Request, status);
        }

        WdfRequestCompleteWithInformation(Request, status, Length); // BUG DRV002
    }
}
