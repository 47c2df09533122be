// Port of Windows-driver-samples general/toaster/toastDrv/kmdf/filter/generic/filter.c and filter.h (MS-PL), whole
// from DriverEntry down, translated mechanically to the DriverBuffers API: an upper filter whose parallel default
// queue takes device-control requests and forwards them to the lower driver, with a completion routine when
// FORWARD_REQUEST_WITH_COMPLETION is defined (it is, in ToasterFilter.csproj, as in filter.h) and send-and-forget
// otherwise. Requests of the other types pass to the lower driver through the framework, as for any KMDF filter.
// Left out: the KdPrint calls and the alloc_text pragmas.
//
// Added (not in the shipped sample): the toaster filter creates no requests of its own, and no shipped KMDF filter of
// Windows-driver-samples that does was found (hid/firefly, the closest, sends synchronously without a request), so
// this port adds the driver-created-request pattern of the KMDF documentation ("Reusing Framework Request Objects",
// WdfRequestReuse): the filter creates one request in EvtDeviceAdd, keeps it in its device context, and for
// IOCTL_FILTER_QUERY_LOWER asks the lower driver itself with that request, formatted with the caller's output memory,
// reused before every use and again before the caller's request completes (reference 000, scenario 5). The requests
// of that code go through a sequential queue, so the one request serves one caller at a time. Everything added is
// marked "Added:".
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace ToasterFilter;

/// <summary>filter.h: the per-device context.</summary>
public sealed class FILTER_EXTENSION
{
    public WDFDEVICE WdfDevice;

    // More context data here.

    // Added: the request the filter sends to the lower driver itself, and the queue that serializes its users.
    public WDFREQUEST QueryRequest;
    public WDFQUEUE QueryQueue;
}

public static class Filter
{
    // Added: answered by asking the lower driver with the filter's own request.
    public const uint IOCTL_FILTER_QUERY_LOWER = 0x00222140; // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x850, METHOD_BUFFERED, FILE_ANY_ACCESS)

    // WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(FILTER_EXTENSION, FilterGetData)
    public static FILTER_EXTENSION FilterGetData(WDFOBJECT o) => WdfObjectGetTypedContext<FILTER_EXTENSION>(o);

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS status;

        // The framework provides the driver's unload routine unless EvtDriverUnload is set.
        WDF_DRIVER_CONFIG_INIT(out var config, FilterEvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, out var hDriver);

        return status;
    }

    private static NTSTATUS FilterEvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        FILTER_EXTENSION filterExt;
        NTSTATUS status;
        WDFDEVICE device;

        PAGED_CODE();

        UNREFERENCED_PARAMETER(Driver);

        // A filter: the framework takes the device flags and characteristics from the lower device.
        WdfFdoInitSetFilter(DeviceInit);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<FILTER_EXTENSION>(out var deviceAttributes);

        // Creates the WDM device object and attaches it to the lower stack.
        status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        filterExt = FilterGetData(device);

        WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var ioQueueConfig, WdfIoQueueDispatchParallel);

        // The framework creates non-power-managed queues for filter drivers by default.
        ioQueueConfig.EvtIoDeviceControl = FilterEvtIoDeviceControl;

        status = WdfIoQueueCreate(device, ioQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out _);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        // Added: the sequential queue IOCTL_FILTER_QUERY_LOWER requests are forwarded to, and the filter's own request.
        WDF_IO_QUEUE_CONFIG_INIT(out var queryQueueConfig, WdfIoQueueDispatchSequential);
        queryQueueConfig.EvtIoDeviceControl = FilterEvtIoQueryLower;

        status = WdfIoQueueCreate(device, queryQueueConfig, WDF_NO_OBJECT_ATTRIBUTES, out filterExt.QueryQueue);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out var requestAttributes);
        requestAttributes.ParentObject = device;

        status = WdfRequestCreate(requestAttributes, WdfDeviceGetIoTarget(device), out filterExt.QueryRequest);

        return status;
    }

    private static void FilterEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        FILTER_EXTENSION filterExt;
        NTSTATUS status = STATUS_SUCCESS;
        WDFDEVICE device;

        UNREFERENCED_PARAMETER(OutputBufferLength);
        UNREFERENCED_PARAMETER(InputBufferLength);

        device = WdfIoQueueGetDevice(Queue);

        filterExt = FilterGetData(device);

        switch (IoControlCode)
        {
            // Put your cases for handling IOCTLs here.

            // Added: one at a time, through the sequential queue.
            case IOCTL_FILTER_QUERY_LOWER:
                status = WdfRequestForwardToIoQueue(Request, filterExt.QueryQueue);
                if (NT_SUCCESS(status))
                {
                    return;
                }
                break;

            default:
                break;
        }

        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        // Forward the request down to the default target: the device attached below us in the stack.
#if FORWARD_REQUEST_WITH_COMPLETION
        FilterForwardRequestWithCompletionRoutine(Request, WdfDeviceGetIoTarget(device));
#else
        FilterForwardRequest(Request, WdfDeviceGetIoTarget(device));
#endif
    }

    private static void FilterForwardRequest(WDFREQUEST Request, WDFIOTARGET Target)
    {
        bool ret;
        NTSTATUS status;

        // No post-processing: fire and forget.
        WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);

        ret = WdfRequestSend(Request, Target, options);

        if (ret == false)
        {
            status = WdfRequestGetStatus(Request);
            WdfRequestComplete(Request, status);
        }
    }

#if FORWARD_REQUEST_WITH_COMPLETION
    private static void FilterForwardRequestWithCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target)
    {
        bool ret;
        NTSTATUS status;

        // Copies the current stack location of the underlying IRP to the next one.
        WdfRequestFormatRequestUsingCurrentType(Request);

        WdfRequestSetCompletionRoutine(Request, FilterRequestCompletionRoutine, WDF_NO_CONTEXT);

        ret = WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);

        if (ret == false)
        {
            status = WdfRequestGetStatus(Request);
            WdfRequestComplete(Request, status);
        }
    }

    private static void FilterRequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        UNREFERENCED_PARAMETER(Target);
        UNREFERENCED_PARAMETER(Context);

        WdfRequestComplete(Request, CompletionParams.IoStatus.Status);
    }
#endif

    // Added: the driver-created-request pattern of "Reusing Framework Request Objects".
    private static void FilterEvtIoQueryLower(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        WDFDEVICE device = WdfIoQueueGetDevice(Queue);
        FILTER_EXTENSION filterExt = FilterGetData(device);
        WDFREQUEST query = filterExt.QueryRequest;
        WDFIOTARGET target = WdfDeviceGetIoTarget(device);
        NTSTATUS status;

        status = WdfRequestRetrieveOutputMemory(Request, out var outputMemory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        // Reinitialize the request before every use: what the last use left (status, completion routine) is dropped.
        WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(query, reuseParams);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        // The lower driver writes its answer straight into the caller's output buffer.
        status = WdfIoTargetFormatRequestForIoctl(target, query, IoControlCode, WDF_NO_HANDLE, null, outputMemory, null);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(query, FilterQueryCompletionRoutine, Request);

        if (WdfRequestSend(query, target, WDF_NO_SEND_OPTIONS) == false)
        {
            status = WdfRequestGetStatus(query);

            // The filter's request still holds the caller's memory: release it before completing the caller's request.
            WDF_REQUEST_REUSE_PARAMS_INIT(out reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            WdfRequestReuse(query, reuseParams);
            WdfRequestComplete(Request, status);
        }
    }

    // Added: the lower driver answered the filter's request; the caller's request completes with that answer.
    private static void FilterQueryCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WDFREQUEST original = (WDFREQUEST)Context!;
        NTSTATUS status = CompletionParams.IoStatus.Status;
        nuint information = CompletionParams.IoStatus.Information;

        UNREFERENCED_PARAMETER(Target);

        // Reuse before completing the original: the filter's request was formatted with the original's memory.
        WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        WdfRequestReuse(Request, reuseParams);

        WdfRequestCompleteWithInformation(original, status, NT_SUCCESS(status) ? information : 0);
    }
}
