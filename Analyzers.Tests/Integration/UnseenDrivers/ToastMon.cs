// Port of the shipped toaster monitor (microsoft/Windows-driver-samples, general/toaster/toastDrv/kmdf/toastmon):
// toastmon.c (DriverEntry, ToastMon_EvtDeviceAdd, ToastMon_EvtDeviceContextCleanup, ToastMon_EvtDeviceD0Entry/D0Exit,
// ToastMon_PnpNotifyInterfaceChange, Toastmon_OpenDevice, ToastMon_EvtIoTargetRemoveComplete,
// Toastmon_EvtTimerPostRequests, ToastMon_PostReadRequests/PostWriteRequests and their completion routines) and
// toastmon.h. The monitor opens every toaster that arrives as a remote I/O target, creates one read and one write request
// per target (WdfRequestCreate, parented to the target) and, from a passive timer, sends each with a fresh WdfMemoryCreate
// buffer parented to the request; each completion routine deletes that buffer, reuses the request and hands it back to
// the target's context for the next tick.
// Mechanical translation per API.md; where the API differs:
//   * IoRegisterPlugPlayNotification / IoUnregisterPlugPlayNotification are not in the API: the interface-arrival callback
//     ToastMon_PnpNotifyInterfaceChange takes (arrival, symbolic link name, device extension) and the host calls it;
//   * WDFCOLLECTION is not in the API: the collection of targets is a List<WDFIOTARGET> under the same wait lock;
//   * InterlockedExchangePointer(&targetInfo->ReadRequest, NULL) is a plain read and clear (the timer is not serialized
//     with the completion routine in C either; the host runs them one at a time);
//   * WdfIoTargetStart (D0Entry), WdfIoTargetPurge (D0Exit), WdfIoTargetCloseForQueryRemove and the REOPEN open parameters
//     (EvtIoTargetQueryRemove / EvtIoTargetRemoveCanceled) are not in the API: those calls and the two callbacks are left
//     out, the timers are still started and stopped; the ASSERT on WdfRequestReuse's status is a comment.
// Left out: the WMI arrival notification (wmi.c: RegisterForWMINotification, GetTargetFriendlyName), KdPrint tracing.
// The shipped sample has a real bug, kept and marked: when WdfRequestSend fails, ToastMon_PostReadRequests (and
// PostWriteRequests) put the request back in the target's context as it is (formatted, sent, not reused) and the next tick
// formats it again; KMDF wants a request whose send failed completed, deleted or reused (SDV ReqSendFail; the runtime's
// DRV011 "formatted again without WdfRequestReuse").
using System.Collections.Generic;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class ToastMon
{
    public const uint DRIVER_TAG = 0x544D4F4E; // 'NOMT' ("TMON")
    public const uint READ_BUF_SIZE = 100;
    public const uint WRITE_BUF_SIZE = 120;
    public const uint STANDARD_RIGHTS_ALL = 0x001F0000;
    public const uint FILE_SHARE_READ = 0x00000001;
    public const uint FILE_SHARE_WRITE = 0x00000002;

    public sealed class DEVICE_EXTENSION
    {
        public WDFDEVICE WdfDevice;
        public List<WDFIOTARGET> TargetDeviceCollection = null!;
        public WDFWAITLOCK TargetDeviceCollectionLock;
    }

    public sealed class TARGET_DEVICE_INFO
    {
        public DEVICE_EXTENSION DeviceExtension = null!; // Our FDO device extension
        public WDFREQUEST ReadRequest;
        public WDFREQUEST WriteRequest;
        public WDFTIMER TimerForPostingRequests;
    }

    public sealed class TIMER_CONTEXT
    {
        public WDFIOTARGET IoTarget;
    }

    public static DEVICE_EXTENSION GetDeviceExtension(WDFOBJECT Object) => WdfObjectGetTypedContext<DEVICE_EXTENSION>(Object);

    public static TARGET_DEVICE_INFO GetTargetDeviceInfo(WDFOBJECT Object) => WdfObjectGetTypedContext<TARGET_DEVICE_INFO>(Object);

    public static TIMER_CONTEXT GetTimerContext(WDFOBJECT Object) => WdfObjectGetTypedContext<TIMER_CONTEXT>(Object);

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS status = STATUS_SUCCESS;
        WDF_DRIVER_CONFIG config;

        WDF_DRIVER_CONFIG_INIT(out config, ToastMon_EvtDeviceAdd);

        status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
        if (!NT_SUCCESS(status))
        {
            // KdPrint("WdfDriverCreate failed with status 0x%x\n")
        }

        return status;
    }

    public static NTSTATUS ToastMon_EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
    {
        WDF_OBJECT_ATTRIBUTES attributes;
        NTSTATUS status = STATUS_SUCCESS;
        WDF_PNPPOWER_EVENT_CALLBACKS pnpCallbacks;
        WDFDEVICE device;
        DEVICE_EXTENSION deviceExtension;

        UNREFERENCED_PARAMETER(Driver);

        PAGED_CODE();

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_EXTENSION>(out attributes);
        attributes.EvtCleanupCallback = ToastMon_EvtDeviceContextCleanup;

        WDF_PNPPOWER_EVENT_CALLBACKS_INIT(out pnpCallbacks);
        pnpCallbacks.EvtDeviceD0Entry = ToastMon_EvtDeviceD0Entry;
        pnpCallbacks.EvtDeviceD0Exit = ToastMon_EvtDeviceD0Exit;
        WdfDeviceInitSetPnpPowerEventCallbacks(DeviceInit, pnpCallbacks);

        status = WdfDeviceCreate(ref DeviceInit, attributes, out device);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        deviceExtension = GetDeviceExtension(device);
        deviceExtension.WdfDevice = device;

        // WdfCollectionCreate
        deviceExtension.TargetDeviceCollection = new List<WDFIOTARGET>();

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = device;

        status = WdfWaitLockCreate(attributes, out deviceExtension.TargetDeviceCollectionLock);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        // IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange, GUID_DEVINTERFACE_TOASTER, ...,
        // ToastMon_PnpNotifyInterfaceChange, deviceExtension, &deviceExtension->NotificationHandle): the host calls it.
        return status;
    }

    public static void ToastMon_EvtDeviceContextCleanup(WDFOBJECT Device)
    {
        DEVICE_EXTENSION deviceExtension;

        PAGED_CODE();

        deviceExtension = GetDeviceExtension(Device);
        // IoUnregisterPlugPlayNotification(deviceExtension->NotificationHandle)
        deviceExtension.TargetDeviceCollection = null!;
    }

    public static NTSTATUS ToastMon_EvtDeviceD0Entry(WDFDEVICE Device, WDF_POWER_DEVICE_STATE PreviousState)
    {
        DEVICE_EXTENSION deviceExtension;
        TARGET_DEVICE_INFO targetDeviceInfo;
        WDFIOTARGET ioTarget;
        int count, i;

        UNREFERENCED_PARAMETER(PreviousState);

        deviceExtension = GetDeviceExtension(Device);

        WdfWaitLockAcquire(deviceExtension.TargetDeviceCollectionLock, null);

        count = deviceExtension.TargetDeviceCollection.Count;

        for (i = 0; i < count; i++)
        {
            ioTarget = deviceExtension.TargetDeviceCollection[i];
            // WdfIoTargetStart(ioTarget)
            targetDeviceInfo = GetTargetDeviceInfo(ioTarget);
            WdfTimerStart(targetDeviceInfo.TimerForPostingRequests, WDF_REL_TIMEOUT_IN_MS(1));
        }

        WdfWaitLockRelease(deviceExtension.TargetDeviceCollectionLock);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS ToastMon_EvtDeviceD0Exit(WDFDEVICE Device, WDF_POWER_DEVICE_STATE TargetState)
    {
        DEVICE_EXTENSION deviceExtension;
        TARGET_DEVICE_INFO targetDeviceInfo;
        WDFIOTARGET ioTarget;
        int count, i;

        UNREFERENCED_PARAMETER(TargetState);

        PAGED_CODE();

        deviceExtension = GetDeviceExtension(Device);

        WdfWaitLockAcquire(deviceExtension.TargetDeviceCollectionLock, null);

        count = deviceExtension.TargetDeviceCollection.Count;

        for (i = 0; i < count; i++)
        {
            ioTarget = deviceExtension.TargetDeviceCollection[i];
            // WdfIoTargetPurge(ioTarget, WdfIoTargetPurgeIoAndWait)
            targetDeviceInfo = GetTargetDeviceInfo(ioTarget);
            WdfTimerStop(targetDeviceInfo.TimerForPostingRequests, TRUE);
        }

        WdfWaitLockRelease(deviceExtension.TargetDeviceCollectionLock);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS ToastMon_PnpNotifyInterfaceChange(bool Arrival, UNICODE_STRING SymbolicLinkName, DEVICE_EXTENSION Context)
    {
        NTSTATUS status = STATUS_SUCCESS;
        DEVICE_EXTENSION deviceExtension = Context;
        WDFIOTARGET ioTarget;

        PAGED_CODE();

        if (Arrival)
        {
            status = Toastmon_OpenDevice(deviceExtension.WdfDevice, SymbolicLinkName, out ioTarget);
            if (!NT_SUCCESS(status))
            {
                return status;
            }

            WdfWaitLockAcquire(deviceExtension.TargetDeviceCollectionLock, null);

            // WdfCollectionAdd
            deviceExtension.TargetDeviceCollection.Add(ioTarget);

            WdfWaitLockRelease(deviceExtension.TargetDeviceCollectionLock);
        }
        else
        {
            // Removal Interface Notification: the framework's target-device-change callbacks clean up.
        }

        return STATUS_SUCCESS;
    }

    public static NTSTATUS Toastmon_OpenDevice(WDFDEVICE Device, UNICODE_STRING SymbolicLink, out WDFIOTARGET Target)
    {
        NTSTATUS status;
        TARGET_DEVICE_INFO targetDeviceInfo;
        WDF_IO_TARGET_OPEN_PARAMS openParams;
        WDFIOTARGET ioTarget;
        WDF_OBJECT_ATTRIBUTES attributes;
        DEVICE_EXTENSION deviceExtension;
        WDF_TIMER_CONFIG wdfTimerConfig;

        Target = default;
        deviceExtension = GetDeviceExtension(Device);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<TARGET_DEVICE_INFO>(out attributes);

        status = WdfIoTargetCreate(deviceExtension.WdfDevice, attributes, out ioTarget);
        if (!NT_SUCCESS(status))
        {
            return status;
        }

        targetDeviceInfo = GetTargetDeviceInfo(ioTarget);
        targetDeviceInfo.DeviceExtension = deviceExtension;

        WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME(out openParams, SymbolicLink, STANDARD_RIGHTS_ALL);
        openParams.ShareAccess = FILE_SHARE_WRITE | FILE_SHARE_READ;
        // openParams.EvtIoTargetQueryRemove / EvtIoTargetRemoveCanceled / EvtIoTargetRemoveComplete: not in the API.

        status = WdfIoTargetOpen(ioTarget, openParams);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(ioTarget);
            return status;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = ioTarget;

        status = WdfRequestCreate(attributes, ioTarget, out targetDeviceInfo.ReadRequest);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(ioTarget);
            return status;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = ioTarget;

        status = WdfRequestCreate(attributes, ioTarget, out targetDeviceInfo.WriteRequest);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(ioTarget);
            return status;
        }

        WDF_TIMER_CONFIG_INIT(out wdfTimerConfig, Toastmon_EvtTimerPostRequests);

        WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<TIMER_CONTEXT>(out attributes);
        attributes.ParentObject = ioTarget;
        attributes.ExecutionLevel = WdfExecutionLevelPassive;
        wdfTimerConfig.AutomaticSerialization = FALSE;

        status = WdfTimerCreate(wdfTimerConfig, attributes, out targetDeviceInfo.TimerForPostingRequests);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(ioTarget);
            return status;
        }

        GetTimerContext(targetDeviceInfo.TimerForPostingRequests).IoTarget = ioTarget;

        WdfTimerStart(targetDeviceInfo.TimerForPostingRequests, WDF_REL_TIMEOUT_IN_MS(1));

        Target = ioTarget;

        return status;
    }

    public static void ToastMon_EvtIoTargetRemoveComplete(WDFIOTARGET IoTarget)
    {
        DEVICE_EXTENSION deviceExtension;
        TARGET_DEVICE_INFO targetDeviceInfo;

        PAGED_CODE();

        targetDeviceInfo = GetTargetDeviceInfo(IoTarget);
        deviceExtension = targetDeviceInfo.DeviceExtension;

        WdfTimerStop(targetDeviceInfo.TimerForPostingRequests, TRUE);

        WdfWaitLockAcquire(deviceExtension.TargetDeviceCollectionLock, null);

        // WdfCollectionRemove
        deviceExtension.TargetDeviceCollection.Remove(IoTarget);

        WdfWaitLockRelease(deviceExtension.TargetDeviceCollectionLock);

        WdfObjectDelete(IoTarget);
    }

    public static void Toastmon_EvtTimerPostRequests(WDFTIMER Timer)
    {
        TARGET_DEVICE_INFO targetInfo;
        WDFIOTARGET ioTarget;

        ioTarget = GetTimerContext(Timer).IoTarget;
        targetInfo = GetTargetDeviceInfo(ioTarget);

        if (targetInfo.ReadRequest != default)
        {
            ToastMon_PostReadRequests(ioTarget);
        }

        if (targetInfo.WriteRequest != default)
        {
            ToastMon_PostWriteRequests(ioTarget);
        }

        WdfTimerStart(targetInfo.TimerForPostingRequests, WDF_REL_TIMEOUT_IN_SEC(1));
    }

    public static NTSTATUS ToastMon_PostReadRequests(WDFIOTARGET IoTarget)
    {
        WDFREQUEST request;
        NTSTATUS status;
        TARGET_DEVICE_INFO targetInfo;
        WDFMEMORY memory;
        WDF_OBJECT_ATTRIBUTES attributes;

        targetInfo = GetTargetDeviceInfo(IoTarget);

        // InterlockedExchangePointer(&targetInfo->ReadRequest, NULL)
        request = targetInfo.ReadRequest;
        targetInfo.ReadRequest = default;

        if (request == default)
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
            goto exit;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = request;

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, DRIVER_TAG, READ_BUF_SIZE, out memory, out _);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = WdfIoTargetFormatRequestForRead(IoTarget, request, memory, null, null); // BUG DRV011: after a failed send the request comes back to the context unreused
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        WdfRequestSetCompletionRoutine(request, Toastmon_ReadRequestCompletionRoutine, targetInfo);

        if (WdfRequestSend(request, IoTarget, WDF_NO_SEND_OPTIONS) == FALSE)
        {
            status = WdfRequestGetStatus(request);
            goto exit;
        }

    exit:
        if (!NT_SUCCESS(status))
        {
            targetInfo.ReadRequest = request;
        }

        return status;
    }

    public static NTSTATUS ToastMon_PostWriteRequests(WDFIOTARGET IoTarget)
    {
        WDFREQUEST request;
        NTSTATUS status;
        TARGET_DEVICE_INFO targetInfo;
        WDFMEMORY memory;
        WDF_OBJECT_ATTRIBUTES attributes;

        targetInfo = GetTargetDeviceInfo(IoTarget);

        // InterlockedExchangePointer(&targetInfo->WriteRequest, NULL)
        request = targetInfo.WriteRequest;
        targetInfo.WriteRequest = default;

        if (request == default)
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
            goto exit;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = request;

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, DRIVER_TAG, WRITE_BUF_SIZE, out memory, out _);
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        status = WdfIoTargetFormatRequestForWrite(IoTarget, request, memory, null, null); // BUG DRV011: after a failed send the request comes back to the context unreused
        if (!NT_SUCCESS(status))
        {
            goto exit;
        }

        WdfRequestSetCompletionRoutine(request, Toastmon_WriteRequestCompletionRoutine, targetInfo);

        if (WdfRequestSend(request, IoTarget, WDF_NO_SEND_OPTIONS) == FALSE)
        {
            status = WdfRequestGetStatus(request);
            goto exit;
        }

    exit:
        if (!NT_SUCCESS(status))
        {
            targetInfo.WriteRequest = request;
        }

        return status;
    }

    public static void Toastmon_ReadRequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WDF_REQUEST_REUSE_PARAMS @params;
        TARGET_DEVICE_INFO targetInfo;
        NTSTATUS status;

        UNREFERENCED_PARAMETER(Context);

        targetInfo = GetTargetDeviceInfo(Target);

        WdfObjectDelete(CompletionParams.Parameters.Read.Buffer);

        WDF_REQUEST_REUSE_PARAMS_INIT(out @params, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(Request, @params);
        // ASSERT(NT_SUCCESS(status));

        targetInfo.ReadRequest = Request;
    }

    public static void Toastmon_WriteRequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
    {
        WDF_REQUEST_REUSE_PARAMS @params;
        TARGET_DEVICE_INFO targetInfo;
        NTSTATUS status;

        UNREFERENCED_PARAMETER(Context);

        targetInfo = GetTargetDeviceInfo(Target);

        WdfObjectDelete(CompletionParams.Parameters.Write.Buffer);

        WDF_REQUEST_REUSE_PARAMS_INIT(out @params, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
        status = WdfRequestReuse(Request, @params);
        // ASSERT(NT_SUCCESS(status));

        targetInfo.WriteRequest = Request;
    }
}
