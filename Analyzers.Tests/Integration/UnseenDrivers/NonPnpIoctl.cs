// Port of the KMDF "ioctl/nonpnp" sample (nonpnp.c): one IOCTL per transfer method.
// METHOD_BUFFERED and METHOD_IN_DIRECT/OUT_DIRECT are handled in EvtIoDeviceControl;
// METHOD_NEITHER buffers are probed and locked in EvtIoInCallerContext, which then
// queues the request with the locked memory objects kept in a request context.
using System.Collections.Generic;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class NonPnpRequestContext
{
    public WDFMEMORY InputMemoryBuffer;
    public WDFMEMORY OutputMemoryBuffer;
}

public sealed class NonPnpDevice
{
    public const uint IOCTL_NONPNP_METHOD_IN_DIRECT = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x800 << 2) | METHOD_IN_DIRECT;
    public const uint IOCTL_NONPNP_METHOD_OUT_DIRECT = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x801 << 2) | METHOD_OUT_DIRECT;
    public const uint IOCTL_NONPNP_METHOD_BUFFERED = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x802 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_NONPNP_METHOD_NEITHER = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x803 << 2) | METHOD_NEITHER;
    public const uint NonPnpTag = 0x706E6F4E; // 'Nonp'

    public static readonly byte[] DeviceString = "This String is from Device Driver !!!\0"u8.ToArray();

    public PVOID Data;
    public nuint DataLength;
    public readonly Dictionary<WDFREQUEST, NonPnpRequestContext> RequestContexts = new();

    public NTSTATUS NonPnpInitialize()
    {
        DataLength = (nuint)DeviceString.Length;
        Data = ExAllocatePool2(POOL_FLAG_NON_PAGED, DataLength, NonPnpTag);
        if (Data == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        Data.CopyFrom(DeviceString, 0);
        return STATUS_SUCCESS;
    }

    public void NonPnpUnload()
    {
        if (Data != NULL)
        {
            ExFreePoolWithTag(Data, NonPnpTag);
            Data = NULL;
        }
    }

    public void FileEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = STATUS_SUCCESS;
        PVOID inBuf, outBuf, buffer;
        nuint inBufLength, outBufLength, bufSize;
        nuint information = 0;
        PMDL mdl;
        NonPnpRequestContext? reqContext;

        if (OutputBufferLength == 0 || InputBufferLength == 0)
        {
            WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
            return;
        }

        switch (IoControlCode)
        {
            case IOCTL_NONPNP_METHOD_BUFFERED:
                status = WdfRequestRetrieveInputBuffer(Request, 0, out inBuf, out inBufLength);
                if (!NT_SUCCESS(status))
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                status = WdfRequestRetrieveOutputBuffer(Request, 0, out outBuf, out outBufLength);
                if (!NT_SUCCESS(status))
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                // The input and output buffers are the same system buffer: read the caller's
                // first byte before overwriting it with the device's string.
                if (inBufLength > 0 && inBuf.Read<byte>(0) == 0)
                {
                    status = STATUS_INVALID_PARAMETER;
                    break;
                }

                bufSize = outBufLength < DataLength ? outBufLength : DataLength;
                RtlCopyMemory(outBuf, Data, bufSize);
                information = bufSize;
                break;

            case IOCTL_NONPNP_METHOD_IN_DIRECT:
            case IOCTL_NONPNP_METHOD_OUT_DIRECT:
                status = WdfRequestRetrieveInputBuffer(Request, 0, out inBuf, out inBufLength);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                status = WdfRequestRetrieveOutputWdmMdl(Request, out mdl);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                bufSize = MmGetMdlByteCount(mdl);
                if (IoControlCode == IOCTL_NONPNP_METHOD_IN_DIRECT)
                {
                    // The application's output buffer is read by the driver for IN_DIRECT.
                    information = 0;
                }
                else
                {
                    bufSize = bufSize < DataLength ? bufSize : DataLength;
                    RtlCopyMemory(buffer, Data, bufSize);
                    information = bufSize;
                }

                break;

            case IOCTL_NONPNP_METHOD_NEITHER:
                if (!RequestContexts.TryGetValue(Request, out reqContext))
                {
                    status = STATUS_INVALID_DEVICE_REQUEST;
                    break;
                }

                RequestContexts.Remove(Request);

                inBuf = WdfMemoryGetBuffer(reqContext.InputMemoryBuffer, out inBufLength);
                outBuf = WdfMemoryGetBuffer(reqContext.OutputMemoryBuffer, out outBufLength);
                if (inBuf == NULL || outBuf == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                bufSize = outBufLength < DataLength ? outBufLength : DataLength;
                status = WdfMemoryCopyFromBuffer(reqContext.OutputMemoryBuffer, 0, Data, bufSize);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                information = bufSize;
                break;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? information : 0);
    }

    public void NonPnpEvtDeviceIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status = STATUS_SUCCESS;
        NonPnpRequestContext reqContext;
        WDF_REQUEST_PARAMETERS parameters;
        nuint inBufLen, outBufLen;
        PVOID inBuf, outBuf;

        WDF_REQUEST_PARAMETERS_INIT(out parameters);
        WdfRequestGetParameters(Request, parameters);

        if (!(parameters.Type == WdfRequestTypeDeviceControl &&
              parameters.Parameters.DeviceIoControl.IoControlCode == IOCTL_NONPNP_METHOD_NEITHER))
        {
            status = WdfDeviceEnqueueRequest(Device, Request);
            if (!NT_SUCCESS(status))
            {
                goto End;
            }

            return;
        }

        status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, 0, out inBuf, out inBufLen);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        status = WdfRequestRetrieveUnsafeUserOutputBuffer(Request, 0, out outBuf, out outBufLen);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        reqContext = new NonPnpRequestContext();

        status = WdfRequestProbeAndLockUserBufferForRead(Request, inBuf, inBufLen, out reqContext.InputMemoryBuffer);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        status = WdfRequestProbeAndLockUserBufferForWrite(Request, outBuf, outBufLen, out reqContext.OutputMemoryBuffer);
        if (!NT_SUCCESS(status))
        {
            goto End;
        }

        RequestContexts[Request] = reqContext;

        status = WdfDeviceEnqueueRequest(Device, Request);
        if (!NT_SUCCESS(status))
        {
            RequestContexts.Remove(Request);
            goto End;
        }

        return;

    End:
        WdfRequestComplete(Request, status);
    }
}

public sealed class NonPnpDeviceBuggy
{
    public PVOID Data;
    public nuint DataLength;

    public void FileEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = STATUS_SUCCESS;
        PVOID inBuf, outBuf, buffer;
        nuint inBufLength, outBufLength;
        nuint information = 0;
        PMDL mdl;

        switch (IoControlCode)
        {
            case NonPnpDevice.IOCTL_NONPNP_METHOD_BUFFERED:
                status = WdfRequestRetrieveInputBuffer(Request, 0, out inBuf, out inBufLength);
                if (inBufLength > 0 && inBuf.Read<byte>(0) == 0) // BUG DRV022
                {
                    status = STATUS_INVALID_PARAMETER;
                    break;
                }

                status = WdfRequestRetrieveOutputBuffer(Request, 0, out outBuf, out outBufLength);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                RtlCopyMemory(outBuf, Data, DataLength); // BUG DRV020
                information = DataLength;
                break;

            case NonPnpDevice.IOCTL_NONPNP_METHOD_OUT_DIRECT:
                status = WdfRequestRetrieveOutputWdmMdl(Request, out mdl);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                buffer = MmGetSystemAddressForMdl(mdl); // BUG DRV032
                information = MmGetMdlByteCount(mdl) < DataLength ? MmGetMdlByteCount(mdl) : DataLength;
                RtlCopyMemory(buffer, Data, information);
                break;

            case NonPnpDevice.IOCTL_NONPNP_METHOD_IN_DIRECT:
                status = WdfRequestRetrieveOutputWdmMdl(Request, out mdl);
                if (!NT_SUCCESS(status))
                {
                    break;
                }

                buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority); // BUG DRV031
                if (buffer == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    break;
                }

                information = 0;
                break;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        WdfRequestCompleteWithInformation(Request, status, information); // BUG DRV023
    }

    public void NonPnpEvtDeviceIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)
    {
        NTSTATUS status;
        nuint inBufLen;
        PVOID inBuf;

        status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, sizeof(uint), out inBuf, out inBufLen);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        if (inBuf.Read<uint>(0) == 0) // BUG DRV042
        {
            WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
            return;
        }

        status = WdfDeviceEnqueueRequest(Device, Request);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
        }
    }
}
