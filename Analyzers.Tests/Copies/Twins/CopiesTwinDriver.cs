using System;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Copies.Twins;

/// <summary>
/// Driver code run by the run-time twins of DRV020-DRV023 and analyzed, as this very file, by the analyzer
/// twins: each bug next to its corrected form. A line the analyzer must flag ends with its rule ID as a comment.
/// </summary>
public static class CopiesTwinDriver
{
    public const uint Tag = 0x79706F43; // 'Copy'
    public const long Record = 0x1122334455667788;
    public const nuint RecordSize = 16;

    public static readonly uint EchoIoctl = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_OUT_DIRECT, FILE_ANY_ACCESS);

    /// <summary>DRV020: echoes the input into the output without bounding the length by the output's size.</summary>
    public static void EchoUnbounded(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        RtlCopyMemory(outBuf, inBuf, inLen); // DRV020
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, outLen);
    }

    public static void EchoBounded(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        nuint copied = Math.Min(inLen, outLen);
        RtlCopyMemory(outBuf, inBuf, copied);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, copied);
    }

    /// <summary>DRV024: a PrintChars-style loop reads every byte of the input up to the output's length.</summary>
    public static void DumpPastTheInput(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        for (nuint i = 0; i < OutputBufferLength; i++)
        {
            inBuf.Read<byte>(i); // DRV024
        }

        WdfRequestComplete(Request, STATUS_SUCCESS);
    }

    public static void DumpTheInput(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        for (nuint i = 0; i < inLen; i++)
        {
            inBuf.Read<byte>(i);
        }

        WdfRequestComplete(Request, STATUS_SUCCESS);
    }

    /// <summary>DRV024: writes a 64-bit record at offset 0 of an output buffer retrieved with a minimum of 4 bytes.</summary>
    public static void WriteRecordPastTheOutput(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, NULL);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        outBuf.Write<long>(0, Record); // DRV024
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(int));
    }

    public static void WriteRecordIntoTheOutput(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(long), out var outBuf, NULL);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        outBuf.Write<long>(0, Record);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(long));
    }

    /// <summary>DRV021: the checked copy fails on a short read, nothing is copied, and the request still succeeds.</summary>
    public static void ReadDroppingCopyStatus(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        var record = ExAllocatePool2(POOL_FLAG_NON_PAGED, RecordSize, Tag);
        record.Write<long>(0, Record);
        record.Write<long>(8, Record);
        WdfMemoryCopyFromBuffer(memory, 0, record, RecordSize); // DRV021
        ExFreePoolWithTag(record, Tag);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
    }

    public static void ReadCheckingCopyStatus(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        var record = ExAllocatePool2(POOL_FLAG_NON_PAGED, RecordSize, Tag);
        record.Write<long>(0, Record);
        record.Write<long>(8, Record);
        status = WdfMemoryCopyFromBuffer(memory, 0, record, RecordSize);
        ExFreePoolWithTag(record, Tag);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, RecordSize);
    }

    /// <summary>DRV022: the retrieve fails on a short read and the driver writes through the NULL buffer.</summary>
    public static void ReadIgnoringRetrieveStatus(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        WdfRequestRetrieveOutputBuffer(Request, sizeof(long), out var buffer, out _);
        buffer.Write<long>(0, Record); // DRV022
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(long));
    }

    public static void ReadCheckingRetrieveStatus(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(long), out var buffer, out _);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        buffer.Write<long>(0, Record);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(long));
    }

    /// <summary>DRV023: four bytes written, eight reported.</summary>
    public static void ReadReportingTooMuch(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var buffer, out _);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        buffer.Write<int>(0, 42);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(long)); // DRV023
    }

    public static void ReadReportingWhatItWrote(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var buffer, out _);
        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        buffer.Write<int>(0, 42);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(int));
    }
}
