// A driver that keeps a configuration block in pool it owns and wraps it in a preallocated
// memory object (scenario 4 of the memory-buffer article): fine for synchronous I/O and for
// WdfMemoryAssignBuffer; an asynchronous send uses a memory object that owns its buffer.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class ConfigBlockDevice
{
    public const uint CfgTag = 0x67666E43; // 'Cnfg'
    public const nuint CONFIG_BLOCK_SIZE = 64;
    public const uint IOCTL_PUSH_CONFIG = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x810 << 2) | METHOD_BUFFERED;

    public WDFIOTARGET Target;
    public PVOID Block;
    public nuint BlockSize;
    public WDFMEMORY BlockMemory;

    public NTSTATUS ConfigInitialize(WDFDEVICE Device)
    {
        NTSTATUS status;

        Target = WdfDeviceGetIoTarget(Device);

        Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, CONFIG_BLOCK_SIZE, CfgTag);
        if (Block == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        BlockSize = CONFIG_BLOCK_SIZE;

        status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, Block, BlockSize, out BlockMemory);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(Block, CfgTag);
            Block = NULL;
        }

        return status;
    }

    // Synchronous read into the preallocated block: the buffer outlives the call.
    public NTSTATUS ConfigRefresh()
    {
        WDF_MEMORY_DESCRIPTOR descriptor;
        WDF_REQUEST_SEND_OPTIONS options;
        nuint bytesRead;

        WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out descriptor, BlockMemory, null);
        WDF_REQUEST_SEND_OPTIONS_INIT(out options, WDF_REQUEST_SEND_OPTION_TIMEOUT);
        WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(options, WDF_REL_TIMEOUT_IN_SEC(1));

        return WdfIoTargetSendReadSynchronously(Target, WDF_NO_HANDLE, descriptor, null, options, out bytesRead);
    }

    // Grows the block: the preallocated memory object is pointed at a new buffer.
    public NTSTATUS ConfigGrow(nuint NewSize)
    {
        NTSTATUS status;
        PVOID newBlock;

        newBlock = ExAllocatePool2(POOL_FLAG_NON_PAGED, NewSize, CfgTag);
        if (newBlock == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        status = WdfMemoryAssignBuffer(BlockMemory, newBlock, NewSize);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(newBlock, CfgTag);
            return status;
        }

        ExFreePoolWithTag(Block, CfgTag);
        Block = newBlock;
        BlockSize = NewSize;
        return status;
    }

    // Pushes a copy of the block to the lower target asynchronously, in a memory object that owns
    // its buffer and is a child of the request.
    public void ConfigEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;
        WDF_OBJECT_ATTRIBUTES attributes;
        WDFMEMORY copy;
        PVOID copyBuffer;

        if (IoControlCode != IOCTL_PUSH_CONFIG)
        {
            WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
            return;
        }

        WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
        attributes.ParentObject = Request;

        status = WdfMemoryCreate(attributes, NonPagedPoolNx, CfgTag, BlockSize, out copy, out copyBuffer);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfMemoryCopyFromBuffer(copy, 0, Block, BlockSize);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForWrite(Target, Request, copy, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(Request, ConfigPushCompletion, WDF_NO_CONTEXT);
        if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
        {
            WdfRequestComplete(Request, WdfRequestGetStatus(Request));
        }
    }

    // The IOCTL went down as a write: the lower driver's byte count is not data for the caller's
    // (empty) output buffer, so complete with no information.
    public void ConfigPushCompletion(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        WdfRequestCompleteWithInformation(Request, Params.IoStatus.Status, 0);
    }

    public void ConfigCleanup()
    {
        WdfObjectDelete(BlockMemory);
        ExFreePoolWithTag(Block, CfgTag);
        Block = NULL;
    }
}

public sealed class ConfigBlockDeviceBuggy
{
    public const uint CfgTag = 0x67666E43; // 'Cnfg'
    public const nuint CONFIG_BLOCK_SIZE = 64;

    public WDFIOTARGET Target;
    public PVOID Block;
    public WDFMEMORY BlockMemory;

    public NTSTATUS ConfigInitialize(WDFDEVICE Device)
    {
        NTSTATUS status;

        Target = WdfDeviceGetIoTarget(Device);

        Block = ExAllocatePool2(NonPagedPoolNx, CONFIG_BLOCK_SIZE, CfgTag); // BUG DRV033
        if (Block == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, Block, CONFIG_BLOCK_SIZE, out BlockMemory);
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(Block, CfgTag);
            Block = NULL;
        }

        return status;
    }

    public NTSTATUS ConfigGrow(nuint NewSize)
    {
        NTSTATUS status;
        PVOID newBlock;
        WDFMEMORY scratch;

        newBlock = ExAllocatePool2(POOL_FLAG_NON_PAGED, NewSize, 0); // BUG DRV033
        if (newBlock == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, CfgTag, NewSize, out scratch, out _);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        status = WdfMemoryAssignBuffer(scratch, newBlock, NewSize); // BUG DRV041
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(newBlock, 0);
            goto Exit;
        }

        WdfObjectDelete(scratch);

    Exit:
        if (!NT_SUCCESS(status))
        {
            ExFreePoolWithTag(newBlock, 0); // BUG DRV034
        }

        return status;
    }

    public void ConfigEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;

        status = WdfIoTargetFormatRequestForWrite(Target, Request, BlockMemory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(Request, ConfigPushCompletion, WDF_NO_CONTEXT);
        if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS)) // BUG DRV040
        {
            WdfRequestComplete(Request, WdfRequestGetStatus(Request));
        }
    }

    public void ConfigPushCompletion(WDFREQUEST Request, WDFIOTARGET Target,
        WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        WdfRequestComplete(Request, Params.IoStatus.Status); // BUG DRV023
    }

    // Called at D0Exit/unload, possibly while a push sent above is still pending at the lower target.
    public void ConfigCleanup()
    {
        WdfObjectDelete(BlockMemory);
        ExFreePoolWithTag(Block, CfgTag);
        Block = NULL;
    }
}
