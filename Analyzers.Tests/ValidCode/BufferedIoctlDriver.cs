// Scenario 1 of reference 000: receive a request, process it with buffered I/O, complete it.
namespace ValidCode.BufferedIoctl;

public sealed class BufferedIoctlDriver
{
    public const uint IoctlGetVersion = 0x222000;
    public const uint IoctlEcho = 0x222004;
    private const uint Version = 0x00010002;

    public void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        switch (IoControlCode)
        {
            case IoctlGetVersion:
                CompleteVersion(Request);
                break;
            case IoctlEcho:
                Echo(Request);
                break;
            default:
                WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
                break;
        }
    }

    private static void CompleteVersion(WDFREQUEST request)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(request, sizeof(uint), out PVOID output, out nuint outputLength);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(request, status);
            return;
        }

        output.Write<uint>(0, Version);
        WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, sizeof(uint));
    }

    private static void Echo(WDFREQUEST request)
    {
        NTSTATUS status = WdfRequestRetrieveInputMemory(request, out WDFMEMORY input);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(request, status);
            return;
        }

        status = WdfRequestRetrieveOutputMemory(request, out WDFMEMORY output);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(request, status);
            return;
        }

        PVOID source = WdfMemoryGetBuffer(input, out nuint inputSize);
        WdfMemoryGetBuffer(output, out nuint outputSize);
        nuint length = inputSize < outputSize ? inputSize : outputSize;
        status = WdfMemoryCopyFromBuffer(output, 0, source, length);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(request, status);
            return;
        }

        WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length);
    }
}
