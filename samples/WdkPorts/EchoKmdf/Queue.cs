// Port of Windows-driver-samples general/echo/kmdf/driver/AutoSync/queue.c and queue.h (MS-PL), translated
// mechanically to the DriverBuffers API: writes are kept in a queue-context buffer, reads return it, and a periodic
// timer completes the current request later; the request is cancelable meanwhile.
// Left out: the KdPrint calls, WdfVerifierDbgBreakPoint, _Analysis_assume_, the alloc_text pragmas.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace EchoKmdf;

/// <summary>queue.h: the queue context, synchronized by the queue's presentation lock.</summary>
public sealed class QUEUE_CONTEXT
{
    // A buffer from a test write, so that it can be read back.
    public PVOID Buffer;
    public uint Length;

    // Timer DPC for this queue.
    public WDFTIMER Timer;

    // Virtual I/O.
    public WDFREQUEST CurrentRequest;
    public NTSTATUS CurrentStatus;
}

public static class Queue
{
    // Maximum write length for testing.
    public const nuint MAX_WRITE_LENGTH = 1024 * 40;

    // Timer period in ms.
    public const uint TIMER_PERIOD = 1000 * 2;

    // 'sam1'
    private const uint EchoTag = 0x316D6173;

    // WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(QUEUE_CONTEXT, QueueGetContext)
    public static QUEUE_CONTEXT QueueGetContext(WDFOBJECT o) => WdfObjectGetTypedContext<QUEUE_CONTEXT>(o);

    public static NTSTATUS EchoQueueInitialize(WDFDEVICE Device)
    {
        WDFQUEUE queue;
        NTSTATUS status;
        QUEUE_CONTEXT queueContext;

        PAGED_CODE();

        // A default queue, for requests not forwarded elsewhere by WdfDeviceConfigureRequestDispatching.
        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchSequential);

        queueConfig.EvtIoRead = EchoEvtIoRead;
        queueConfig.EvtIoWrite = EchoEvtIoWrite;

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<QUEUE_CONTEXT>(out var queueAttributes);

        // The queue's synchronization scope, with the timer parented to the queue: queue and timer callbacks are
        // synchronized by the same lock.
        queueAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;

        queueAttributes.EvtDestroyCallback = EchoEvtIoQueueContextDestroy;

        status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out queue);

        if (!NT_SUCCESS(status))
        {
            return status;
        }

        queueContext = QueueGetContext(queue);

        queueContext.Buffer = NULL;
        queueContext.Timer = default;

        queueContext.CurrentRequest = default;
        queueContext.CurrentStatus = STATUS_INVALID_DEVICE_REQUEST;

        status = EchoTimerCreate(out queueContext.Timer, TIMER_PERIOD, queue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        return status;
    }

    public static NTSTATUS EchoTimerCreate(out WDFTIMER Timer, uint Period, WDFQUEUE Queue)
    {
        NTSTATUS Status;

        PAGED_CODE();

        WDF_TIMER_CONFIG_INIT_PERIODIC(out var timerConfig, EchoEvtTimerFunc, Period);

        timerConfig.AutomaticSerialization = false;

        WDF_OBJECT_ATTRIBUTES_INIT(out var timerAttributes);
        timerAttributes.ParentObject = Queue; // Synchronize with the I/O queue

        Status = WdfTimerCreate(timerConfig, timerAttributes, out Timer);

        return Status;
    }

    private static void EchoEvtIoQueueContextDestroy(WDFOBJECT Object)
    {
        var queueContext = QueueGetContext(Object);

        // Release what the queue context points to; the context itself goes when this returns.
        if (queueContext.Buffer != NULL)
        {
            ExFreePool(queueContext.Buffer);
        }
    }

    private static void EchoEvtRequestCancel(WDFREQUEST Request)
    {
        var queueContext = QueueGetContext(WdfRequestGetIoQueue(Request));

        // Race free: the timer DPC unmarks the request before completing it and does not complete it when that
        // returns STATUS_CANCELLED.
        WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);

        // Synchronized by the queue's presentation lock.
        queueContext.CurrentRequest = default;
    }

    private static void EchoEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS Status;
        var queueContext = QueueGetContext(Queue);
        WDFMEMORY memory;

        // No data to read.
        if (queueContext.Buffer == NULL)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0);
            return;
        }

        // Read what we have.
        if (queueContext.Length < Length)
        {
            Length = queueContext.Length;
        }

        Status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (!NT_SUCCESS(Status))
        {
            WdfRequestCompleteWithInformation(Request, Status, 0);
            return;
        }

        // Copy the memory out.
        Status = WdfMemoryCopyFromBuffer(memory, 0, queueContext.Buffer, Length);
        if (!NT_SUCCESS(Status))
        {
            WdfRequestComplete(Request, Status);
            return;
        }

        WdfRequestSetInformation(Request, Length);

        WdfRequestMarkCancelable(Request, EchoEvtRequestCancel);

        // Defer the completion to the timer DPC.
        queueContext.CurrentRequest = Request;
        queueContext.CurrentStatus = Status;
    }

    private static void EchoEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS Status;
        WDFMEMORY memory;
        var queueContext = QueueGetContext(Queue);

        if (Length > MAX_WRITE_LENGTH)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_BUFFER_OVERFLOW, 0);
            return;
        }

        Status = WdfRequestRetrieveInputMemory(Request, out memory);
        if (!NT_SUCCESS(Status))
        {
            WdfRequestComplete(Request, Status);
            return;
        }

        // Release the previous buffer if set.
        if (queueContext.Buffer != NULL)
        {
            ExFreePool(queueContext.Buffer);
            queueContext.Buffer = NULL;
            queueContext.Length = 0;
        }

        queueContext.Buffer = ExAllocatePoolWithTag(NonPagedPoolNx, Length, EchoTag);
        if (queueContext.Buffer == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        // Copy the memory in.
        Status = WdfMemoryCopyToBuffer(memory, 0, queueContext.Buffer, Length);
        if (!NT_SUCCESS(Status))
        {
            ExFreePool(queueContext.Buffer);
            queueContext.Buffer = NULL;
            queueContext.Length = 0;

            WdfRequestComplete(Request, Status);
            return;
        }

        queueContext.Length = (uint)Length;

        WdfRequestSetInformation(Request, Length);

        WdfRequestMarkCancelable(Request, EchoEvtRequestCancel);

        // Defer the completion to the timer DPC.
        queueContext.CurrentRequest = Request;
        queueContext.CurrentStatus = Status;
    }

    private static void EchoEvtTimerFunc(WDFTIMER Timer)
    {
        NTSTATUS Status;
        WDFREQUEST Request;
        WDFQUEUE queue;
        QUEUE_CONTEXT queueContext;

        queue = (WDFQUEUE)WdfTimerGetParentObject(Timer);
        queueContext = QueueGetContext(queue);

        // Synchronized with the queue's lock: race free without explicit locking.
        Request = queueContext.CurrentRequest;
        if (Request != default)
        {
            // The request is not completed if it is already canceled: the cancel routine ran, or is about to run.
            Status = WdfRequestUnmarkCancelable(Request);
            if (Status != STATUS_CANCELLED)
            {
                queueContext.CurrentRequest = default;
                Status = queueContext.CurrentStatus;

                WdfRequestComplete(Request, Status);
            }
        }
    }
}
