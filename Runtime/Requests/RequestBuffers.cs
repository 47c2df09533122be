using DriverBuffers.IoManager;
using DriverBuffers.Memory;
using DriverBuffers.Verifier;

namespace DriverBuffers.Requests;

/// <summary>
/// The <c>WdfRequestRetrieve*</c> and probe-and-lock logic: which buffer a request has in each direction,
/// how it is reached (system buffer, MDL mapping, user address) and the statuses KMDF documents. Every
/// pointer, memory object and MDL handed out belongs to the request and ends when it completes (DRV001).
/// </summary>
internal static class RequestBuffers
{
    /// <summary>The kernel address and length of a request's buffer in one direction.</summary>
    public static NTSTATUS Retrieve(WdfRequestObject request, bool input, nuint minimumRequiredLength, out PVOID buffer, out nuint length, string ddi)
    {
        buffer = default;
        length = 0;
        var status = Locate(request, input, out var irp, out var method, out var available);
        if (!Wdm.NT_SUCCESS(status))
        {
            return status;
        }
        if (method == TransferMethod.Neither && !FromKernelMode(irp))
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        if (available == 0 || minimumRequiredLength > available)
        {
            return Wdm.STATUS_BUFFER_TOO_SMALL;
        }
        buffer = method switch
        {
            TransferMethod.Buffered => new PVOID(irp.SystemBuffer, 0),
            // Type3InputBuffer and Irp->UserBuffer: the sending driver's kernel addresses.
            TransferMethod.Neither => new PVOID(input ? irp.UserInputAddress : irp.UserOutputAddress, 0),
            _ => irp.Mdl!.Map(ddi),
        };
        if (buffer == default)
        {
            return Wdm.STATUS_INSUFFICIENT_RESOURCES;
        }
        length = available;
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>The memory object for a request's buffer in one direction (the same object on every call).</summary>
    public static NTSTATUS RetrieveMemory(WdfRequestObject request, bool input, out WdfMemoryObject? memory, string ddi)
    {
        memory = input ? request.InputMemory : request.OutputMemory;
        if (memory is not null)
        {
            return Wdm.STATUS_SUCCESS;
        }
        var status = Retrieve(request, input, 0, out var buffer, out var length, ddi);
        if (!Wdm.NT_SUCCESS(status))
        {
            return status;
        }
        lock (request.Runtime.Sync)
        {
            memory = input ? request.InputMemory : request.OutputMemory;
            if (memory is null)
            {
                memory = new WdfMemoryObject(request.Runtime, input ? MemoryOrigin.RequestInput : MemoryOrigin.RequestOutput,
                    buffer, length, request) { OwningRequest = request };
                if (input)
                {
                    request.InputMemory = memory;
                }
                else
                {
                    request.OutputMemory = memory;
                }
            }
        }
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>The MDL of a request's buffer: the direct-I/O MDL, or one the framework builds for a system buffer.</summary>
    public static NTSTATUS RetrieveMdl(WdfRequestObject request, bool input, out MemoryDescriptorList? mdl)
    {
        mdl = null;
        var status = Locate(request, input, out var irp, out var method, out var available);
        if (!Wdm.NT_SUCCESS(status))
        {
            return status;
        }
        if (method == TransferMethod.Neither)
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        if (available == 0)
        {
            return Wdm.STATUS_BUFFER_TOO_SMALL;
        }
        if (method == TransferMethod.Direct)
        {
            mdl = irp.Mdl;
            return Wdm.STATUS_SUCCESS;
        }
        lock (request.Runtime.Sync)
        {
            if (request.SystemBufferMdl is null)
            {
                var built = new MemoryDescriptorList(request.Runtime, new PVOID(irp.SystemBuffer, 0), (uint)irp.SystemBuffer!.Length)
                {
                    OwnedBy = request.HandleName,
                };
                built.ProbeAndLock("WdfRequestRetrieveWdmMdl");
                irp.Track(built);
                request.SystemBufferMdl = built;
            }
            mdl = request.SystemBufferMdl;
        }
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary><c>WdfRequestRetrieveUnsafeUser*Buffer</c>: the raw user address, only in <c>EvtIoInCallerContext</c>.</summary>
    public static NTSTATUS RetrieveUnsafeUser(WdfRequestObject request, bool input, nuint minimumRequiredLength, out PVOID buffer, out nuint length)
    {
        buffer = default;
        length = 0;
        var status = Locate(request, input, out var irp, out var method, out var available);
        if (!Wdm.NT_SUCCESS(status))
        {
            return status;
        }
        if (!request.InCallerContext || method != TransferMethod.Neither)
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        if (minimumRequiredLength > available)
        {
            return Wdm.STATUS_BUFFER_TOO_SMALL;
        }
        buffer = new PVOID(input ? irp.UserInputAddress : irp.UserOutputAddress, 0);
        length = available;
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>
    /// <c>WdfRequestProbeAndLockUserBufferFor*</c>: probes a user range, locks it behind an MDL and returns a
    /// memory object over its system mapping (parented to the request).
    /// </summary>
    public static NTSTATUS ProbeAndLock(WdfRequestObject request, PVOID buffer, nuint length, out WdfMemoryObject? memory, string ddi)
    {
        memory = null;
        if (request.Irp is not { } irp || !request.InCallerContext)
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        if (buffer == default || length == 0)
        {
            return Wdm.STATUS_INVALID_PARAMETER;
        }
        if (buffer.Allocation is not { RequiresProbe: true } user || user.BytesAvailableFrom(buffer.Offset) < length)
        {
            return Wdm.STATUS_ACCESS_VIOLATION;
        }
        var mdl = new MemoryDescriptorList(request.Runtime, buffer, (uint)length) { OwnedBy = request.HandleName };
        mdl.ProbeAndLock(ddi);
        irp.Track(mdl);
        var mapping = mdl.Map(ddi);
        if (mapping == default)
        {
            return Wdm.STATUS_INSUFFICIENT_RESOURCES;
        }
        memory = new WdfMemoryObject(request.Runtime, MemoryOrigin.ProbedUserBuffer, mapping, length, request) { OwningRequest = request };
        return Wdm.STATUS_SUCCESS;
    }

    /// <summary>
    /// KMDF hands out a METHOD_NEITHER device control's buffers only when they are kernel addresses: an internal device
    /// control, or a device control whose requestor mode is <c>KernelMode</c> (FxRequest::GetMemoryObject: "internal device
    /// controls are kernel mode to kernel mode, and deal with direct unmapped pointers").
    /// </summary>
    private static bool FromKernelMode(IrpTracker irp) =>
        irp.Submission.Type == WDF_REQUEST_TYPE.WdfRequestTypeDeviceControlInternal
        || irp.Submission.RequestorMode == KPROCESSOR_MODE.KernelMode;

    /// <summary>
    /// The IRP, transfer method and length of one direction; STATUS_INVALID_DEVICE_REQUEST if the request type has no such
    /// buffer. Device controls and internal device controls have both directions (KMDF retrieves them alike).
    /// </summary>
    private static NTSTATUS Locate(WdfRequestObject request, bool input, out IrpTracker irp, out TransferMethod method, out nuint length)
    {
        irp = request.Irp!;
        method = TransferMethod.None;
        length = 0;
        if (request.Irp is null)
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        var s = irp.Submission;
        bool hasDirection = input
            ? s.Type is WDF_REQUEST_TYPE.WdfRequestTypeWrite or WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl or WDF_REQUEST_TYPE.WdfRequestTypeDeviceControlInternal
            : s.Type is WDF_REQUEST_TYPE.WdfRequestTypeRead or WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl or WDF_REQUEST_TYPE.WdfRequestTypeDeviceControlInternal;
        if (!hasDirection)
        {
            return Wdm.STATUS_INVALID_DEVICE_REQUEST;
        }
        method = input ? s.InputMethod : s.OutputMethod;
        length = input ? irp.InputLength : irp.OutputLength;
        return Wdm.STATUS_SUCCESS;
    }
}
