// Port of the shipped object-callback sample's driver (microsoft/Windows-driver-samples, general/obcallback/driver):
// tdriver.c (DriverEntry, TdDeviceUnload, TdDeviceCreate/Close/Cleanup, TdControlProtectName, TdControlUnprotect,
// TdDeviceControl, TdCreateProcessNotifyRoutine2), callback.c (TdProtectNameCallback, TdDeleteProtectNameCallback,
// TdCheckProcessMatch, CBTdPreOperationCallback, CBTdPostOperationCallback, trimmed), util.c (TdSetCallContext,
// TdCheckAndFreeCallContext, the current ExAllocatePool2 form), shared.h and tdriver.h.
// A legacy (non-PnP) WDM driver: two METHOD_BUFFERED IOCTLs; TD_IOCTL_PROTECT_NAME_CALLBACK checks the input length
// against sizeof(TD_PROTECTNAME_INPUT) and copies the name out of Irp->AssociatedIrp.SystemBuffer into a global array
// under a guarded mutex; the object-manager pre-operation callback allocates a call context from paged pool that the
// post-operation callback frees. Mechanical translation per API.md; where the API differs:
//   * the object manager and process notification (ObRegisterCallbacks, ObUnRegisterCallbacks, ObGetFilterVersion,
//     PsSetCreateProcessNotifyRoutineEx), KGUARDED_MUTEX and wcsstr are not in the API: the region "ntoskrnl stand-in"
//     below keeps them (KGUARDED_MUTEX is a Monitor; TdWcsStr compares the command line with the protected name);
//     OB_PRE/POST_OPERATION_INFORMATION and PS_CREATE_NOTIFY_INFO are small classes with the fields the sample uses;
//   * TD_PROTECTNAME_INPUT { ULONG Operation; WCHAR Name[NAME_SIZE+1]; } is read from the system buffer at its x64
//     offsets (408 bytes, Name at 4); the global WCHAR TdwProtectName[NAME_SIZE+1] is a LOCAL_BUFFER that lives as long
//     as the driver; TD_CALL_CONTEXT (32 bytes) is a pool block written at its field offsets; memcpy is RtlCopyMemory.
// Left out: the access-mask stripping of the pre-operation callback (it edits OB_PRE_OPERATION_INFORMATION's
// DesiredAccess, no buffer), the callback registration's altitude string, the DbgPrintEx tracing.
// Bugs added (each marked on its line), what writers of such a driver get wrong:
//   * DRV020: TdControlProtectName only checks that the input holds the Operation (a ULONG) before handing the system
//     buffer to TdProtectNameCallback, which copies the 402-byte name out of it;
//   * DRV030: TdSetCallContext allocates with ExAllocatePoolWithTag(PagedPool) and zeroes (the sample's own earlier form);
//   * DRV034: TdCheckAndFreeCallContext frees the call context with the registration's tag (TD_CALLBACK_REGISTRATION_TAG);
//   * DRV036: the post-operation callback traces the call context's Operation after the helper freed it;
//   * DRV002: TdControlUnprotect completes the IRP itself when removing the callbacks fails, and TdDeviceControl completes
//     it again.
using System.Threading;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class ObCallbackBuggy
{
    public const string TD_NT_DEVICE_NAME = @"\Device\ObCallbackTest";
    public const string TD_DOS_DEVICES_LINK_NAME = @"\DosDevices\ObCallbackTest";
    public const uint FILE_SPECIAL_ACCESS = 0;

    public const int NAME_SIZE = 200;

    // CTL_CODE (FILE_DEVICE_UNKNOWN, (0x800 + n), METHOD_BUFFERED, FILE_SPECIAL_ACCESS)
    public const uint TD_IOCTL_PROTECT_NAME_CALLBACK = (FILE_DEVICE_UNKNOWN << 16) | (FILE_SPECIAL_ACCESS << 14) | ((0x800 + 2) << 2) | METHOD_BUFFERED;
    public const uint TD_IOCTL_UNPROTECT_CALLBACK = (FILE_DEVICE_UNKNOWN << 16) | (FILE_SPECIAL_ACCESS << 14) | ((0x800 + 3) << 2) | METHOD_BUFFERED;

    public const uint TDProtectName_Protect = 0;
    public const uint TDProtectName_Reject = 1;

    public const uint TD_CALLBACK_REGISTRATION_TAG = 0x3062434F; // '0bCO'
    public const uint TD_CALL_CONTEXT_TAG = 0x3162434F;          // '1bCO'

    // sizeof and field offsets on x64
    public const uint SIZEOF_TD_PROTECTNAME_INPUT = 408;
    public const nuint TD_PROTECTNAME_INPUT_Operation = 0;
    public const nuint TD_PROTECTNAME_INPUT_Name = 4;
    public const uint SIZEOF_TdwProtectName = (NAME_SIZE + 1) * 2;
    public const uint SIZEOF_TD_CALL_CONTEXT = 32;
    public const nuint TD_CALL_CONTEXT_CallbackRegistration = 0;
    public const nuint TD_CALL_CONTEXT_Operation = 8;
    public const nuint TD_CALL_CONTEXT_Object = 16;
    public const nuint TD_CALL_CONTEXT_ObjectType = 24;

    public sealed class TD_CALLBACK_REGISTRATION
    {
        public ulong RegistrationId;
    }

    public sealed class OB_PRE_OPERATION_INFORMATION
    {
        public uint Operation;
        public ulong Object;
        public ulong ObjectType;
        public PVOID CallContext;
    }

    public sealed class OB_POST_OPERATION_INFORMATION
    {
        public uint Operation;
        public ulong Object;
        public ulong ObjectType;
        public PVOID CallContext;
    }

    public sealed class PS_CREATE_NOTIFY_INFO
    {
        public UNICODE_STRING? CommandLine;
        public NTSTATUS CreationStatus;
    }

    public static bool TdProcessNotifyRoutineSet2;
    public static bool TdbProtectName;
    public static bool TdbRejectName;
    public static readonly KGUARDED_MUTEX TdCallbacksMutex = new();
    public static readonly LOCAL_BUFFER TdwProtectName = new((int)SIZEOF_TdwProtectName);
    public static bool bCallbacksInstalled;
    public static ulong TdProtectedTargetProcess;
    public static readonly TD_CALLBACK_REGISTRATION CBCallbackRegistration = new();

    // ---- tdriver.c ------------------------------------------------------------------------------------------------

    public static void TdCreateProcessNotifyRoutine2(ulong Process, ulong ProcessId, PS_CREATE_NOTIFY_INFO? CreateInfo)
    {
        NTSTATUS Status;

        if (CreateInfo != null)
        {
            // Search for matching process to protect only if filtering
            if (TdbProtectName)
            {
                if (CreateInfo.CommandLine != null)
                {
                    Status = TdCheckProcessMatch(CreateInfo.CommandLine, Process, ProcessId);
                }
            }

            // Search for matching process to reject process creation
            if (TdbRejectName)
            {
                if (CreateInfo.CommandLine != null)
                {
                    Status = TdCheckProcessMatch(CreateInfo.CommandLine, Process, ProcessId);

                    if (Status == STATUS_SUCCESS)
                    {
                        CreateInfo.CreationStatus = STATUS_ACCESS_DENIED;
                    }
                }
            }
        }
    }

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS Status;
        UNICODE_STRING NtDeviceName;
        UNICODE_STRING DosDevicesLinkName;
        DEVICE_OBJECT? Device = null;
        bool SymLinkCreated = FALSE;

        UNREFERENCED_PARAMETER(RegistryPath);

        RtlInitUnicodeString(out NtDeviceName, TD_NT_DEVICE_NAME);
        RtlInitUnicodeString(out DosDevicesLinkName, TD_DOS_DEVICES_LINK_NAME);

        // Initialize globals.
        KeInitializeGuardedMutex(TdCallbacksMutex);
        RtlZeroMemory(TdwProtectName.Address, SIZEOF_TdwProtectName);

        // Create our device object.
        Status = IoCreateDevice(DriverObject, 0, NtDeviceName, FILE_DEVICE_UNKNOWN, 0, FALSE, out var created);
        if (!NT_SUCCESS(Status))
        {
            goto Exit;
        }

        Device = created;

        // Set dispatch routines.
        DriverObject.MajorFunction[IRP_MJ_CREATE] = TdDeviceCreate;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = TdDeviceClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = TdDeviceCleanup;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = TdDeviceControl;
        DriverObject.DriverUnload = TdDeviceUnload;

        // Create a link in the Win32 namespace.
        Status = IoCreateSymbolicLink(DosDevicesLinkName, NtDeviceName);
        if (!NT_SUCCESS(Status))
        {
            goto Exit;
        }

        SymLinkCreated = TRUE;

        // Set process create routines.
        Status = PsSetCreateProcessNotifyRoutineEx(TdCreateProcessNotifyRoutine2, FALSE);
        if (!NT_SUCCESS(Status))
        {
            goto Exit;
        }

        TdProcessNotifyRoutineSet2 = TRUE;

    Exit:
        if (!NT_SUCCESS(Status))
        {
            if (TdProcessNotifyRoutineSet2 == TRUE)
            {
                PsSetCreateProcessNotifyRoutineEx(TdCreateProcessNotifyRoutine2, TRUE);
                TdProcessNotifyRoutineSet2 = FALSE;
            }

            if (SymLinkCreated == TRUE)
            {
                IoDeleteSymbolicLink(DosDevicesLinkName);
            }

            if (Device != null)
            {
                IoDeleteDevice(Device);
            }
        }

        return Status;
    }

    public static void TdDeviceUnload(DRIVER_OBJECT DriverObject)
    {
        UNICODE_STRING DosDevicesLinkName;

        RtlInitUnicodeString(out DosDevicesLinkName, TD_DOS_DEVICES_LINK_NAME);

        // Unregister process notify routines.
        if (TdProcessNotifyRoutineSet2 == TRUE)
        {
            PsSetCreateProcessNotifyRoutineEx(TdCreateProcessNotifyRoutine2, TRUE);
            TdProcessNotifyRoutineSet2 = FALSE;
        }

        // remove filtering and remove any OB callbacks
        TdbProtectName = FALSE;
        TdDeleteProtectNameCallback();

        // Delete the link from our device name to a name in the Win32 namespace.
        IoDeleteSymbolicLink(DosDevicesLinkName);

        // Delete our device object.
        IoDeleteDevice(DriverObject.DeviceObject!);
    }

    public static NTSTATUS TdDeviceCreate(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS TdDeviceClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS TdDeviceCleanup(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS TdControlProtectName(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS Status;
        IO_STACK_LOCATION IrpStack;
        uint InputBufferLength;
        PVOID pProtectNameInput;

        UNREFERENCED_PARAMETER(DeviceObject);

        IrpStack = IoGetCurrentIrpStackLocation(Irp);
        InputBufferLength = IrpStack.Parameters.DeviceIoControl.InputBufferLength;

        if (InputBufferLength < sizeof(uint))
        {
            Status = STATUS_BUFFER_OVERFLOW;
            goto Exit;
        }

        pProtectNameInput = Irp.AssociatedIrp.SystemBuffer;

        Status = TdProtectNameCallback(pProtectNameInput);

        switch (pProtectNameInput.Read<uint>(TD_PROTECTNAME_INPUT_Operation))
        {
            case TDProtectName_Protect:
                // Begin filtering access rights
                TdbProtectName = TRUE;
                TdbRejectName = FALSE;
                break;

            case TDProtectName_Reject:
                // Begin reject process creation on match
                TdbProtectName = FALSE;
                TdbRejectName = TRUE;
                break;
        }

    Exit:
        return Status;
    }

    public static NTSTATUS TdControlUnprotect(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS Status;

        UNREFERENCED_PARAMETER(DeviceObject);
        UNREFERENCED_PARAMETER(Irp);

        // No need to check length of passed in parameters as we do not need any information from that.
        Status = TdDeleteProtectNameCallback();
        if (!NT_SUCCESS(Status))
        {
            Irp.IoStatus.Status = Status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return Status;
        }

        TdbProtectName = FALSE;
        TdbRejectName = FALSE;

        return Status;
    }

    public static NTSTATUS TdDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IO_STACK_LOCATION IrpStack;
        uint Ioctl;
        NTSTATUS Status;

        UNREFERENCED_PARAMETER(DeviceObject);

        Status = STATUS_SUCCESS;

        IrpStack = IoGetCurrentIrpStackLocation(Irp);
        Ioctl = IrpStack.Parameters.DeviceIoControl.IoControlCode;

        switch (Ioctl)
        {
            case TD_IOCTL_PROTECT_NAME_CALLBACK:
                Status = TdControlProtectName(DeviceObject, Irp);
                break;

            case TD_IOCTL_UNPROTECT_CALLBACK:
                Status = TdControlUnprotect(DeviceObject, Irp);
                break;

            default:
                break;
        }

        // Complete the irp and return.
        Irp.IoStatus.Status = Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // BUG DRV002: TdControlUnprotect completed the IRP when it failed

        return Status;
    }

    // ---- callback.c -----------------------------------------------------------------------------------------------

    public static NTSTATUS TdDeleteProtectNameCallback()
    {
        NTSTATUS Status = STATUS_SUCCESS;

        KeAcquireGuardedMutex(TdCallbacksMutex);

        // if the callbacks are active - remove them
        if (bCallbacksInstalled == TRUE)
        {
            ObUnRegisterCallbacks(CBCallbackRegistration);
            bCallbacksInstalled = FALSE;
        }

        KeReleaseGuardedMutex(TdCallbacksMutex);

        return Status;
    }

    public static NTSTATUS TdProtectNameCallback(PVOID pProtectName)
    {
        NTSTATUS Status = STATUS_SUCCESS;

        KeAcquireGuardedMutex(TdCallbacksMutex);

        // Need to copy out the name and then set the flag to filter. This will allow process creation to watch for the
        // process to be created and get the PID and then prevent any other process from opening up that PID to terminate.
        RtlCopyMemory(TdwProtectName.Address, pProtectName + TD_PROTECTNAME_INPUT_Name, SIZEOF_TdwProtectName); // BUG DRV020

        // Need to enable the OB callbacks once the process is matched to a newly created process.
        if (bCallbacksInstalled == FALSE)
        {
            Status = ObRegisterCallbacks(CBCallbackRegistration);
            if (NT_SUCCESS(Status))
            {
                bCallbacksInstalled = TRUE;
            }
        }

        KeReleaseGuardedMutex(TdCallbacksMutex);

        return Status;
    }

    public static NTSTATUS TdCheckProcessMatch(UNICODE_STRING pustrCommand, ulong Process, ulong ProcessId)
    {
        NTSTATUS Status = STATUS_UNSUCCESSFUL;

        KeAcquireGuardedMutex(TdCallbacksMutex);

        // Check the command line for the protected name.
        if (TdWcsStr(pustrCommand, TdwProtectName.Address, NAME_SIZE))
        {
            TdProtectedTargetProcess = Process;
            Status = STATUS_SUCCESS;
        }

        UNREFERENCED_PARAMETER(ProcessId);

        KeReleaseGuardedMutex(TdCallbacksMutex);

        return Status;
    }

    public static void CBTdPreOperationCallback(TD_CALLBACK_REGISTRATION RegistrationContext, OB_PRE_OPERATION_INFORMATION PreInfo)
    {
        // Remember the call so that the post-operation callback can check it.
        TdSetCallContext(PreInfo, RegistrationContext);
    }

    public static void CBTdPostOperationCallback(TD_CALLBACK_REGISTRATION RegistrationContext, OB_POST_OPERATION_INFORMATION PostInfo)
    {
        TdCheckAndFreeCallContext(PostInfo, RegistrationContext);

        if (PostInfo.CallContext != NULL)
        {
            UNREFERENCED_PARAMETER(PostInfo.CallContext.Read<uint>(TD_CALL_CONTEXT_Operation)); // BUG DRV036
        }
    }

    // ---- util.c ---------------------------------------------------------------------------------------------------

    public static void TdSetCallContext(OB_PRE_OPERATION_INFORMATION PreInfo, TD_CALLBACK_REGISTRATION CallbackRegistration)
    {
        PVOID CallContext;

        CallContext = ExAllocatePoolWithTag(PagedPool, SIZEOF_TD_CALL_CONTEXT, TD_CALL_CONTEXT_TAG); // BUG DRV030

        if (CallContext == NULL)
        {
            return;
        }

        RtlZeroMemory(CallContext, SIZEOF_TD_CALL_CONTEXT);

        CallContext.Write<ulong>(TD_CALL_CONTEXT_CallbackRegistration, CallbackRegistration.RegistrationId);
        CallContext.Write<uint>(TD_CALL_CONTEXT_Operation, PreInfo.Operation);
        CallContext.Write<ulong>(TD_CALL_CONTEXT_Object, PreInfo.Object);
        CallContext.Write<ulong>(TD_CALL_CONTEXT_ObjectType, PreInfo.ObjectType);

        PreInfo.CallContext = CallContext;
    }

    public static void TdCheckAndFreeCallContext(OB_POST_OPERATION_INFORMATION PostInfo, TD_CALLBACK_REGISTRATION CallbackRegistration)
    {
        PVOID CallContext = PostInfo.CallContext;

        if (CallContext != NULL)
        {
            TD_ASSERT(CallContext.Read<ulong>(TD_CALL_CONTEXT_CallbackRegistration) == CallbackRegistration.RegistrationId);
            TD_ASSERT(CallContext.Read<uint>(TD_CALL_CONTEXT_Operation) == PostInfo.Operation);
            TD_ASSERT(CallContext.Read<ulong>(TD_CALL_CONTEXT_Object) == PostInfo.Object);
            TD_ASSERT(CallContext.Read<ulong>(TD_CALL_CONTEXT_ObjectType) == PostInfo.ObjectType);

            ExFreePoolWithTag(CallContext, TD_CALLBACK_REGISTRATION_TAG); // BUG DRV034
        }
    }

    // ---- ntoskrnl stand-in (object manager, process notification, guarded mutex, wcsstr, TD_ASSERT) -------------------

    public sealed class KGUARDED_MUTEX
    {
    }

    public static void KeInitializeGuardedMutex(KGUARDED_MUTEX Mutex) => UNREFERENCED_PARAMETER(Mutex);

    public static void KeAcquireGuardedMutex(KGUARDED_MUTEX Mutex) => Monitor.Enter(Mutex);

    public static void KeReleaseGuardedMutex(KGUARDED_MUTEX Mutex) => Monitor.Exit(Mutex);

    public static NTSTATUS PsSetCreateProcessNotifyRoutineEx(System.Action<ulong, ulong, PS_CREATE_NOTIFY_INFO?> NotifyRoutine, bool Remove)
    {
        ProcessNotifyRoutine = Remove ? null : NotifyRoutine;
        return STATUS_SUCCESS;
    }

    /// <summary>The registered process notify routine (the host calls it to simulate a process creation).</summary>
    public static System.Action<ulong, ulong, PS_CREATE_NOTIFY_INFO?>? ProcessNotifyRoutine;

    private static ulong nextRegistrationId = 0x100;

    public static NTSTATUS ObRegisterCallbacks(TD_CALLBACK_REGISTRATION Registration)
    {
        Registration.RegistrationId = ++nextRegistrationId;
        return STATUS_SUCCESS;
    }

    public static void ObUnRegisterCallbacks(TD_CALLBACK_REGISTRATION Registration) => Registration.RegistrationId = 0;

    /// <summary>wcsstr(CommandLine, Name) over the command line's Length and the name up to its NUL (at most MaxChars).</summary>
    public static bool TdWcsStr(UNICODE_STRING CommandLine, PVOID Name, int MaxChars)
    {
        var nameLength = 0;
        while (nameLength < MaxChars && Name.Read<ushort>((nuint)(nameLength * 2)) != 0)
        {
            nameLength++;
        }

        var commandChars = CommandLine.Length / 2;
        if (nameLength == 0 || nameLength > commandChars)
        {
            return false;
        }

        for (var start = 0; start + nameLength <= commandChars; start++)
        {
            var i = 0;
            while (i < nameLength && CommandLine.Buffer.Read<ushort>((nuint)((start + i) * 2)) == Name.Read<ushort>((nuint)(i * 2)))
            {
                i++;
            }

            if (i == nameLength)
            {
                return true;
            }
        }

        return false;
    }

    public static void TD_ASSERT(bool Expression)
    {
        // NT_ASSERT that works in free builds too: a failed assertion breaks into the debugger.
        System.Diagnostics.Debug.Assert(Expression);
    }
}
