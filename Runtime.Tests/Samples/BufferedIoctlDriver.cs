using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

/// <summary>A WDK-style buffered IOCTL handler: echo the input buffer into the output buffer with RtlCopyMemory.</summary>
internal static class BufferedIoctlDriver
{
    public const uint IOCTL_ECHO = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x800 << 2) | METHOD_BUFFERED;

    public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
                                          nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;
        PVOID inBuf, outBuf;
        nuint inLen, outLen;
        nuint bytesReturned = 0;

        UNREFERENCED_PARAMETER(Queue);

        switch (IoControlCode)
        {
            case IOCTL_ECHO:
                status = WdfRequestRetrieveInputBuffer(Request, 1, out inBuf, out inLen);
                if (!NT_SUCCESS(status))
                {
                    break;
                }
                status = WdfRequestRetrieveOutputBuffer(Request, inLen, out outBuf, out outLen);
                if (!NT_SUCCESS(status))
                {
                    break;
                }
                RtlCopyMemory(outBuf, inBuf, inLen);
                bytesReturned = inLen;
                break;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        WdfRequestCompleteWithInformation(Request, status, bytesReturned);
    }
}
