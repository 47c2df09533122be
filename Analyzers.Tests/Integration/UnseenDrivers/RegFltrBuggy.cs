// The registry filter sample's driver (general/registry/regfltr/sys; see RegFltr.cs for the port and what was left
// out) with bugs a driver writer plausibly makes, each marked on its line:
//   * CreateCallbackContext allocates the context with the deprecated ExAllocatePoolWithTag (uninitialized memory: the
//     context's unused fields are garbage) (DRV030);
//   * CreateCallbackContext's failure path scrubs the altitude after it freed the block that holds it (DRV036);
//   * DeleteCallbackContext frees the context with the capture buffers' tag, REGFLTR_CAPTURE_POOL_TAG (DRV034);
//   * UnRegisterCallback completes the IRP itself when the input is too short and returns the failure, and DeviceControl
//     completes it again (DRV002);
//   * GetCallbackVersion checks the output length against one ULONG and writes both of GET_CALLBACK_VERSION_OUTPUT's (DRV024).
using System.Collections.Generic;
using System.Threading;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class RegFltrBuggy
{
    public const string NT_DEVICE_NAME = @"\Device\RegFltr";
    public const string DOS_DEVICES_LINK_NAME = @"\DosDevices\RegFltr";
    public const uint FILE_SPECIAL_ACCESS = 0;

    // CTL_CODE (FILE_DEVICE_UNKNOWN, (0x800 + n), METHOD_BUFFERED, FILE_SPECIAL_ACCESS)
    public const uint IOCTL_DO_KERNELMODE_SAMPLES = (FILE_DEVICE_UNKNOWN << 16) | (FILE_SPECIAL_ACCESS << 14) | ((0x800 + 0) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_REGISTER_CALLBACK = (FILE_DEVICE_UNKNOWN << 16) | (FILE_SPECIAL_ACCESS << 14) | ((0x800 + 1) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_UNREGISTER_CALLBACK = (FILE_DEVICE_UNKNOWN << 16) | (FILE_SPECIAL_ACCESS << 14) | ((0x800 + 2) << 2) | METHOD_BUFFERED;
    public const uint IOCTL_GET_CALLBACK_VERSION = (FILE_DEVICE_UNKNOWN << 16) | (FILE_SPECIAL_ACCESS << 14) | ((0x800 + 3) << 2) | METHOD_BUFFERED;

    public const uint REGFLTR_CONTEXT_POOL_TAG = 0x30746652; // '0tfR'
    public const uint REGFLTR_CAPTURE_POOL_TAG = 0x31746652; // '1tfR'
    public const int MAX_ALTITUDE_BUFFER_LENGTH = 10;
    public const int MAX_CALLBACK_CTX_ENTRIES = 10;
    public const int MAX_KERNELMODE_SAMPLES = 11;

    // sizeof and field offsets of the IOCTL structures (exe/common.h) and of CALLBACK_CONTEXT (regfltr.h) on x64
    public const uint SIZEOF_REGISTER_CALLBACK_INPUT = 24;
    public const nuint REGISTER_CALLBACK_INPUT_CallbackMode = 0;
    public const nuint REGISTER_CALLBACK_INPUT_Altitude = 4;
    public const uint SIZEOF_REGISTER_CALLBACK_OUTPUT = 8;
    public const nuint REGISTER_CALLBACK_OUTPUT_Cookie = 0;
    public const uint SIZEOF_UNREGISTER_CALLBACK_INPUT = 8;
    public const nuint UNREGISTER_CALLBACK_INPUT_Cookie = 0;
    public const uint SIZEOF_GET_CALLBACK_VERSION_OUTPUT = 8;
    public const nuint GET_CALLBACK_VERSION_OUTPUT_MajorVersion = 0;
    public const nuint GET_CALLBACK_VERSION_OUTPUT_MinorVersion = 4;
    public const uint SIZEOF_DO_KERNELMODE_SAMPLES_OUTPUT = MAX_KERNELMODE_SAMPLES;
    public const uint SIZEOF_CALLBACK_CONTEXT = 104;
    public const nuint CALLBACK_CONTEXT_AltitudeBuffer = 48;

    public sealed class CALLBACK_CONTEXT
    {
        public PVOID Block;
        public int CallbackMode;
        public long ProcessId;
        public PVOID AltitudeBuffer;
        public long Cookie;
    }

    public static DEVICE_OBJECT g_DeviceObj = null!;
    public static uint g_MajorVersion;
    public static uint g_MinorVersion;
    public static long g_RootKey;
    public static readonly FAST_MUTEX g_CallbackCtxListLock = new();
    public static readonly List<CALLBACK_CONTEXT> g_CallbackCtxListHead = new();
    public static ushort g_NumCallbackCtxListEntries;

    // ---- driver.c -------------------------------------------------------------------------------------------------

    public static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        NTSTATUS Status;
        UNICODE_STRING NtDeviceName;
        UNICODE_STRING DosDevicesLinkName;

        UNREFERENCED_PARAMETER(RegistryPath);

        RtlInitUnicodeString(out NtDeviceName, NT_DEVICE_NAME);

        Status = IoCreateDevice(DriverObject, 0, NtDeviceName, FILE_DEVICE_UNKNOWN, 0, TRUE, out g_DeviceObj);
        if (!NT_SUCCESS(Status))
        {
            return Status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = DeviceCreate;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = DeviceClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = DeviceCleanup;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = DeviceControl;
        DriverObject.DriverUnload = DeviceUnload;

        RtlInitUnicodeString(out DosDevicesLinkName, DOS_DEVICES_LINK_NAME);
        Status = IoCreateSymbolicLink(DosDevicesLinkName, NtDeviceName);
        if (!NT_SUCCESS(Status))
        {
            IoDeleteDevice(DriverObject.DeviceObject!);
            return Status;
        }

        CmGetCallbackVersion(out g_MajorVersion, out g_MinorVersion);

        g_CallbackCtxListHead.Clear(); // InitializeListHead(&g_CallbackCtxListHead)
        g_NumCallbackCtxListEntries = 0;

        return STATUS_SUCCESS;
    }

    public static NTSTATUS DeviceCreate(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS DeviceClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS DeviceCleanup(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        UNREFERENCED_PARAMETER(DeviceObject);

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);

        return STATUS_SUCCESS;
    }

    public static NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
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
            case IOCTL_DO_KERNELMODE_SAMPLES:
                Status = DoCallbackSamples(DeviceObject, Irp);
                break;

            case IOCTL_REGISTER_CALLBACK:
                Status = RegisterCallback(DeviceObject, Irp);
                break;

            case IOCTL_UNREGISTER_CALLBACK:
                Status = UnRegisterCallback(DeviceObject, Irp);
                break;

            case IOCTL_GET_CALLBACK_VERSION:
                Status = GetCallbackVersion(DeviceObject, Irp);
                break;

            default:
                // ErrorPrint("Unrecognized ioctl code 0x%x", Ioctl)
                break;
        }

        //
        // Complete the irp and return.
        //
        Irp.IoStatus.Status = Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT); // BUG DRV002

        return Status;
    }

    public static void DeviceUnload(DRIVER_OBJECT DriverObject)
    {
        UNICODE_STRING DosDevicesLinkName;

        RtlInitUnicodeString(out DosDevicesLinkName, DOS_DEVICES_LINK_NAME);
        IoDeleteSymbolicLink(DosDevicesLinkName);

        IoDeleteDevice(DriverObject.DeviceObject!);
    }

    // ---- regfltr.c ------------------------------------------------------------------------------------------------

    public static NTSTATUS DoCallbackSamples(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS Status;
        IO_STACK_LOCATION IrpStack;
        uint OutputBufferLength;
        PVOID Output;

        UNREFERENCED_PARAMETER(DeviceObject);

        //
        // Get the output buffer from the irp and check it is as large as expected.
        //
        IrpStack = IoGetCurrentIrpStackLocation(Irp);
        OutputBufferLength = IrpStack.Parameters.DeviceIoControl.OutputBufferLength;

        if (OutputBufferLength < SIZEOF_DO_KERNELMODE_SAMPLES_OUTPUT)
        {
            Status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        Output = Irp.AssociatedIrp.SystemBuffer;

        DeleteTestKeys();

        Status = ZwCreateKey(out g_RootKey);
        if (!NT_SUCCESS(Status))
        {
            // ErrorPrint("ZwCreateKey failed. Status 0x%x", Status)
            return Status;
        }

        //
        // Call each demo and record the results in the Output->SampleResults array
        //
        for (int sample = 0; sample < MAX_KERNELMODE_SAMPLES; sample++)
        {
            Output.Write<byte>((nuint)sample, KernelModeSample(sample) ? (byte)1 : (byte)0);
        }

        Irp.IoStatus.Information = SIZEOF_DO_KERNELMODE_SAMPLES_OUTPUT;

    Exit:
        if (g_RootKey != 0)
        {
            ZwDeleteKey(g_RootKey);
            ZwClose(g_RootKey);
            g_RootKey = 0;
        }

        return Status;
    }

    public static NTSTATUS RegisterCallback(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS Status = STATUS_SUCCESS;
        IO_STACK_LOCATION IrpStack;
        uint InputBufferLength;
        uint OutputBufferLength;
        PVOID RegisterCallbackInput;
        PVOID RegisterCallbackOutput;
        CALLBACK_CONTEXT? CallbackCtx = null;

        //
        // Get the input and output buffer from the irp and
        // check they are the expected size
        //
        IrpStack = IoGetCurrentIrpStackLocation(Irp);
        InputBufferLength = IrpStack.Parameters.DeviceIoControl.InputBufferLength;
        OutputBufferLength = IrpStack.Parameters.DeviceIoControl.OutputBufferLength;

        if ((InputBufferLength < SIZEOF_REGISTER_CALLBACK_INPUT) ||
            (OutputBufferLength < SIZEOF_REGISTER_CALLBACK_OUTPUT))
        {
            Status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        RegisterCallbackInput = Irp.AssociatedIrp.SystemBuffer;

        //
        // Create the callback context from the specified callback mode and altitude
        //
        CallbackCtx = CreateCallbackContext(RegisterCallbackInput.Read<int>(REGISTER_CALLBACK_INPUT_CallbackMode),
                                            RegisterCallbackInput + REGISTER_CALLBACK_INPUT_Altitude);

        if (CallbackCtx == null)
        {
            Status = STATUS_INSUFFICIENT_RESOURCES;
            goto Exit;
        }

        //
        // Register the callback
        //
        Status = CmRegisterCallbackEx(CallbackCtx.AltitudeBuffer, DeviceObject.DriverObject, CallbackCtx, out CallbackCtx.Cookie);
        if (!NT_SUCCESS(Status))
        {
            // ErrorPrint("CmRegisterCallback failed. Status 0x%x", Status)
            goto Exit;
        }

        if (!InsertCallbackContext(CallbackCtx))
        {
            Status = STATUS_UNSUCCESSFUL;
            goto Exit;
        }

        //
        // Fill the output buffer with the Cookie received from registering the
        // callback and the pointer to the callback context.
        //
        RegisterCallbackOutput = Irp.AssociatedIrp.SystemBuffer;
        RegisterCallbackOutput.Write<long>(REGISTER_CALLBACK_OUTPUT_Cookie, CallbackCtx.Cookie);

        Irp.IoStatus.Information = SIZEOF_REGISTER_CALLBACK_OUTPUT;

    Exit:
        if (!NT_SUCCESS(Status))
        {
            // ErrorPrint("RegisterCallback failed. Status 0x%x", Status)
            if (CallbackCtx != null)
            {
                DeleteCallbackContext(CallbackCtx);
            }
        }

        return Status;
    }

    public static NTSTATUS UnRegisterCallback(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS Status = STATUS_SUCCESS;
        IO_STACK_LOCATION IrpStack;
        uint InputBufferLength;
        PVOID UnRegisterCallbackInput;
        CALLBACK_CONTEXT? CallbackCtx;

        UNREFERENCED_PARAMETER(DeviceObject);

        //
        // Get the input buffer and check its size
        //
        IrpStack = IoGetCurrentIrpStackLocation(Irp);
        InputBufferLength = IrpStack.Parameters.DeviceIoControl.InputBufferLength;

        if (InputBufferLength < SIZEOF_UNREGISTER_CALLBACK_INPUT)
        {
            Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_INVALID_PARAMETER;
        }

        UnRegisterCallbackInput = Irp.AssociatedIrp.SystemBuffer;

        //
        // Unregister the callback with the cookie
        //
        Status = CmUnRegisterCallback(UnRegisterCallbackInput.Read<long>(UNREGISTER_CALLBACK_INPUT_Cookie));

        if (!NT_SUCCESS(Status))
        {
            // ErrorPrint("CmUnRegisterCallback failed. Status 0x%x", Status)
            goto Exit;
        }

        //
        // Free the callback context buffer
        //
        CallbackCtx = FindAndRemoveCallbackContext(UnRegisterCallbackInput.Read<long>(UNREGISTER_CALLBACK_INPUT_Cookie));
        if (CallbackCtx != null)
        {
            DeleteCallbackContext(CallbackCtx);
        }

    Exit:
        return Status;
    }

    public static NTSTATUS GetCallbackVersion(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        NTSTATUS Status = STATUS_SUCCESS;
        IO_STACK_LOCATION IrpStack;
        uint OutputBufferLength;
        PVOID GetCallbackVersionOutput;
        uint MajorVersion;
        uint MinorVersion;

        UNREFERENCED_PARAMETER(DeviceObject);

        //
        // Get the output buffer and verify its size
        //
        IrpStack = IoGetCurrentIrpStackLocation(Irp);
        OutputBufferLength = IrpStack.Parameters.DeviceIoControl.OutputBufferLength;

        if (OutputBufferLength < sizeof(uint))
        {
            Status = STATUS_INVALID_PARAMETER;
            goto Exit;
        }

        GetCallbackVersionOutput = Irp.AssociatedIrp.SystemBuffer;

        //
        // Call CmGetCallbackVersion and store the results in the output buffer
        //
        CmGetCallbackVersion(out MajorVersion, out MinorVersion);
        GetCallbackVersionOutput.Write<uint>(GET_CALLBACK_VERSION_OUTPUT_MajorVersion, MajorVersion);
        GetCallbackVersionOutput.Write<uint>(GET_CALLBACK_VERSION_OUTPUT_MinorVersion, MinorVersion); // BUG DRV024

        Irp.IoStatus.Information = SIZEOF_GET_CALLBACK_VERSION_OUTPUT;

    Exit:
        return Status;
    }

    // ---- util.c ---------------------------------------------------------------------------------------------------

    public static CALLBACK_CONTEXT? CreateCallbackContext(int CallbackMode, PVOID AltitudeString)
    {
        CALLBACK_CONTEXT? CallbackCtx = null;
        PVOID Block;
        NTSTATUS Status;
        bool Success = FALSE;

        Block = ExAllocatePoolWithTag(PagedPool, SIZEOF_CALLBACK_CONTEXT, REGFLTR_CONTEXT_POOL_TAG); // BUG DRV030

        if (Block == NULL)
        {
            // ErrorPrint("CreateCallbackContext failed due to insufficient resources.")
            goto Exit;
        }

        CallbackCtx = new CALLBACK_CONTEXT { Block = Block, AltitudeBuffer = Block + CALLBACK_CONTEXT_AltitudeBuffer };
        CallbackCtx.CallbackMode = CallbackMode;
        CallbackCtx.ProcessId = PsGetCurrentProcessId();

        Status = RtlStringCbPrintfW(CallbackCtx.AltitudeBuffer, MAX_ALTITUDE_BUFFER_LENGTH * sizeof(char), AltitudeString);

        if (!NT_SUCCESS(Status))
        {
            // ErrorPrint("RtlStringCbPrintfW in CreateCallbackContext failed. Status 0x%x", Status)
            goto Exit;
        }

        Success = TRUE;

    Exit:
        if (Success == FALSE)
        {
            if (CallbackCtx != null)
            {
                ExFreePoolWithTag(CallbackCtx.Block, REGFLTR_CONTEXT_POOL_TAG);
                RtlZeroMemory(CallbackCtx.AltitudeBuffer, MAX_ALTITUDE_BUFFER_LENGTH * sizeof(char)); // BUG DRV036
                CallbackCtx = null;
            }
        }

        return CallbackCtx;
    }

    public static bool InsertCallbackContext(CALLBACK_CONTEXT CallbackCtx)
    {
        bool Success = FALSE;

        ExAcquireFastMutex(g_CallbackCtxListLock);

        if (g_NumCallbackCtxListEntries < MAX_CALLBACK_CTX_ENTRIES)
        {
            g_NumCallbackCtxListEntries++;
            g_CallbackCtxListHead.Insert(0, CallbackCtx); // InsertHeadList
            Success = TRUE;
        }
        else
        {
            // ErrorPrint("Insert Callback Ctx failed: Max CallbackCtx entries reached.")
        }

        ExReleaseFastMutex(g_CallbackCtxListLock);

        return Success;
    }

    public static CALLBACK_CONTEXT? FindAndRemoveCallbackContext(long Cookie)
    {
        CALLBACK_CONTEXT? CallbackCtx = null;
        int Entry;

        ExAcquireFastMutex(g_CallbackCtxListLock);

        Entry = 0; // g_CallbackCtxListHead.Flink

        while (Entry != g_CallbackCtxListHead.Count)
        {
            CallbackCtx = g_CallbackCtxListHead[Entry];
            if (CallbackCtx.Cookie == Cookie)
            {
                g_CallbackCtxListHead.RemoveAt(Entry);
                g_NumCallbackCtxListEntries--;
                break;
            }
        }

        ExReleaseFastMutex(g_CallbackCtxListLock);

        return CallbackCtx;
    }

    public static void DeleteCallbackContext(CALLBACK_CONTEXT CallbackCtx)
    {
        if (CallbackCtx != null)
        {
            ExFreePoolWithTag(CallbackCtx.Block, REGFLTR_CAPTURE_POOL_TAG); // BUG DRV034
        }
    }

    // ---- ntoskrnl stand-in (the configuration manager, Zw registry calls, FAST_MUTEX, ntstrsafe) -------------------

    public sealed class FAST_MUTEX
    {
    }

    private static readonly Dictionary<long, CALLBACK_CONTEXT> RegisteredCallbacks = new();
    private static long nextCookie = 0x1000;

    public static void ExAcquireFastMutex(FAST_MUTEX FastMutex) => Monitor.Enter(FastMutex);

    public static void ExReleaseFastMutex(FAST_MUTEX FastMutex) => Monitor.Exit(FastMutex);

    public static long PsGetCurrentProcessId() => 4;

    public static void CmGetCallbackVersion(out uint Major, out uint Minor)
    {
        Major = 1;
        Minor = 1;
    }

    /// <summary>CmRegisterCallbackEx(Callback, Altitude, Driver, Context, Cookie, Reserved): the altitude and the context are kept.</summary>
    public static NTSTATUS CmRegisterCallbackEx(PVOID Altitude, DRIVER_OBJECT? Driver, CALLBACK_CONTEXT Context, out long Cookie)
    {
        lock (RegisteredCallbacks)
        {
            Cookie = Interlocked.Increment(ref nextCookie);
            RegisteredCallbacks.Add(Cookie, Context);
        }

        return STATUS_SUCCESS;
    }

    public static NTSTATUS CmUnRegisterCallback(long Cookie)
    {
        lock (RegisteredCallbacks)
        {
            return RegisteredCallbacks.Remove(Cookie) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        }
    }

    public static NTSTATUS ZwCreateKey(out long KeyHandle)
    {
        KeyHandle = 0x80;
        return STATUS_SUCCESS;
    }

    public static void ZwDeleteKey(long KeyHandle)
    {
    }

    public static void ZwClose(long KeyHandle)
    {
    }

    public static void DeleteTestKeys()
    {
    }

    /// <summary>The result of one of the eleven kernel-mode samples (registry work, left out).</summary>
    public static bool KernelModeSample(int Sample) => TRUE;

    /// <summary>RtlStringCbPrintfW(pszDest, cbDest, L"%s", Source): reads Source up to its NUL, writes at most cbDest bytes
    /// with the NUL, STATUS_BUFFER_OVERFLOW when it had to truncate.</summary>
    public static NTSTATUS RtlStringCbPrintfW(PVOID pszDest, nuint cbDest, PVOID Source)
    {
        nuint length = 0;
        while (Source.Read<char>(length * sizeof(char)) != '\0')
        {
            length++;
        }

        nuint max = cbDest / sizeof(char) - 1;
        nuint copied = length < max ? length : max;
        for (nuint i = 0; i < copied; i++)
        {
            pszDest.Write<char>(i * sizeof(char), Source.Read<char>(i * sizeof(char)));
        }

        pszDest.Write<char>(copied * sizeof(char), '\0');
        return copied == length ? STATUS_SUCCESS : STATUS_BUFFER_OVERFLOW;
    }
}
