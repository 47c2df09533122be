using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Exercising.Tests.Engine;

/// <summary>
/// A small driver with two known bugs, wired into a DriverHost by hand, for testing the engine on its own: reads are
/// forwarded to the lower target (correctly), one IOCTL writes its output after completing (DRV001), and a zero-length
/// write is never completed (DRV004, found at unload). Lines marked "EXPECT" are where the violations must be reported.
/// </summary>
internal static class TinyDriver
{
    public const uint IOCTL_TINY_GET = 0x222004;
    public const uint IOCTL_TINY_PING = 0x222008;

    public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
        status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var forward);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        status = WdfIoTargetFormatRequestForRead(target, forward, memory, null, null);
        if (!NT_SUCCESS(status))
        {
            WdfObjectDelete(forward);
            WdfRequestComplete(Request, status);
            return;
        }

        WdfRequestSetCompletionRoutine(forward, OnReadCompleted, Request);
        if (!WdfRequestSend(forward, target, WDF_NO_SEND_OPTIONS))
        {
            status = WdfRequestGetStatus(forward);
            WdfObjectDelete(forward);
            WdfRequestComplete(Request, status);
        }
    }

    private static void OnReadCompleted(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
    {
        var original = (WDFREQUEST)Context!;
        var status = Params.IoStatus.Status;
        var information = Params.IoStatus.Information;
        WdfObjectDelete(Request);
        WdfRequestCompleteWithInformation(original, status, information);
    }

    public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        if (Length == 0)
        {
            return; // EXPECT DRV004 (reported at the callback)
        }

        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
    }

    public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        if (IoControlCode == IOCTL_TINY_GET)
        {
            var status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out var output, out _);
            if (!NT_SUCCESS(status))
            {
                WdfRequestComplete(Request, status);
                return;
            }

            WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
            output.Write<uint>(0, 7); // EXPECT DRV001
            return;
        }

        WdfRequestComplete(Request, IoControlCode == IOCTL_TINY_PING ? STATUS_SUCCESS : STATUS_INVALID_DEVICE_REQUEST);
    }
}
