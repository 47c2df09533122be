// A KMDF driver written for the exerciser's tests in the style of a WDK sample, which the exerciser's authors never
// saw: a "notifier" device. Writes store up to 64 bytes in a nonpaged buffer of the device context; reads wait in a
// manual queue until the driver's periodic timer hands them the stored bytes; IOCTL_NOTIFIER_WAIT pends one request,
// cancelable, until the next timer tick. Correct as far as its authors know: it must exercise clean.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace HiddenDrivers.Notifier;

public sealed class NOTIFIER_CONTEXT
{
    public WDFQUEUE ReadQueue;
    public WDFSPINLOCK Lock;
    public WDFREQUEST Waiter;
    public PVOID Data;
    public nuint DataLength;
}

public static class Notifier
{
    public const uint IOCTL_NOTIFIER_WAIT = 0x00222200; // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x880, METHOD_BUFFERED, FILE_ANY_ACCESS)

    private const uint NOTIFIER_TAG = 0x6669744e; // 'Ntif'
    private const nuint DATA_SIZE = 64;

    private static NOTIFIER_CONTEXT GetContext(WDFOBJECT o) => WdfObjectGetTypedContext<NOTIFIER_CONTEXT>(o);

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        WDF_DRIVER_CONFIG_INIT(out var config, NotifierEvtDeviceAdd);
        return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
    }

    private static NTSTATUS NotifierEvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        NTSTATUS status;

        WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<NOTIFIER_CONTEXT>(out var deviceAttributes);
        deviceAttributes.EvtCleanupCallback = NotifierEvtDeviceCleanup;

        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out var device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        var context = GetContext(device);
        context.Data = ExAllocatePool2(POOL_FLAG_NON_PAGED, DATA_SIZE, NOTIFIER_TAG);
        if (context.Data == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
        attributes.ParentObject = device;
        status = WdfSpinLockCreate(attributes, out context.Lock);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
        queueConfig.EvtIoWrite = NotifierEvtIoWrite;
        queueConfig.EvtIoDeviceControl = NotifierEvtIoDeviceControl;
        status = WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_IO_QUEUE_CONFIG_INIT(out var readConfig, WdfIoQueueDispatchManual);
        status = WdfIoQueueCreate(device, readConfig, WDF_NO_OBJECT_ATTRIBUTES, out context.ReadQueue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        status = WdfDeviceConfigureRequestDispatching(device, context.ReadQueue, WdfRequestTypeRead);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_TIMER_CONFIG_INIT_PERIODIC(out var timerConfig, NotifierEvtTimer, 10);
        status = WdfTimerCreate(timerConfig, attributes, out var timer);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        WdfTimerStart(timer, WDF_REL_TIMEOUT_IN_MS(10));

        return STATUS_SUCCESS;
    }

    private static void NotifierEvtDeviceCleanup(WDFOBJECT Device)
    {
        var context = GetContext(Device);
        if (context.Data != NULL)
        {
            ExFreePoolWithTag(context.Data, NOTIFIER_TAG);
            context.Data = NULL;
        }
    }

    private static void NotifierEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        var context = GetContext(WdfIoQueueGetDevice(Queue));

        var status = WdfRequestRetrieveInputBuffer(Request, 1, out var input, out var inputLength);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        nuint count = inputLength < DATA_SIZE ? inputLength : DATA_SIZE;
        WdfSpinLockAcquire(context.Lock);
        RtlCopyMemory(context.Data, input, count);
        context.DataLength = count;
        WdfSpinLockRelease(context.Lock);

        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, count);
    }

    private static void NotifierEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        var context = GetContext(WdfIoQueueGetDevice(Queue));
        NTSTATUS status;

        if (IoControlCode != IOCTL_NOTIFIER_WAIT)
        {
            WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
            return;
        }

        WdfSpinLockAcquire(context.Lock);
        if (context.Waiter != WDF_NO_HANDLE)
        {
            status = STATUS_DEVICE_BUSY;
        }
        else
        {
            status = WdfRequestMarkCancelableEx(Request, NotifierEvtWaitCanceled);
            if (NT_SUCCESS(status))
            {
                context.Waiter = Request;
            }
        }
        WdfSpinLockRelease(context.Lock);

        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
        }
    }

    private static void NotifierEvtWaitCanceled(WDFREQUEST Request)
    {
        var context = GetContext(WdfIoQueueGetDevice(WdfRequestGetIoQueue(Request)));

        WdfSpinLockAcquire(context.Lock);
        if (context.Waiter == Request)
        {
            context.Waiter = WDF_NO_HANDLE;
        }
        WdfSpinLockRelease(context.Lock);

        WdfRequestComplete(Request, STATUS_CANCELLED);
    }

    private static void NotifierEvtTimer(WDFTIMER Timer)
    {
        var context = GetContext(WdfTimerGetParentObject(Timer));
        WDFREQUEST waiter;

        WdfSpinLockAcquire(context.Lock);
        waiter = context.Waiter;
        context.Waiter = WDF_NO_HANDLE;
        WdfSpinLockRelease(context.Lock);

        if (waiter != WDF_NO_HANDLE && WdfRequestUnmarkCancelable(waiter) != STATUS_CANCELLED)
        {
            WdfRequestComplete(waiter, STATUS_SUCCESS);
        }

        while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(context.ReadQueue, out var read)))
        {
            var status = WdfRequestRetrieveOutputBuffer(read, 1, out var output, out var outputLength);
            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(read, status);
                continue;
            }

            WdfSpinLockAcquire(context.Lock);
            nuint available = context.DataLength < DATA_SIZE ? context.DataLength : DATA_SIZE;
            nuint count = outputLength < available ? outputLength : available;
            RtlCopyMemory(output, context.Data, count);
            WdfSpinLockRelease(context.Lock);

            WdfRequestCompleteWithInformation(read, STATUS_SUCCESS, count);
        }
    }
}
