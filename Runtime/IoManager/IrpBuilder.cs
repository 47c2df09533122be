using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;

namespace DriverBuffers.IoManager;

/// <summary>
/// Builds the IRP for an application's request the way reference 001 describes the I/O manager:
/// buffered I/O copies through a system buffer, direct I/O locks the user pages behind an MDL, neither
/// I/O passes the user address (which must be probed before use).
/// </summary>
internal static class IrpBuilder
{
    /// <summary>Builds the IRP with <paramref name="stackCount"/> stack locations; the top one carries the parameters.</summary>
    public static IrpTracker Build(DriverRuntime runtime, IoSubmission submission, int stackCount = 1)
    {
        var irp = new IrpTracker(runtime, submission);
        if (submission.UserInput is { } input)
        {
            irp.UserInputStorage = new Storage(input);
            irp.UserInputAddress = UserAddress(irp, irp.UserInputStorage, "input");
        }
        if (submission.UserOutput is { } output)
        {
            irp.UserOutputStorage = new Storage(output);
            irp.UserOutputAddress = UserAddress(irp, irp.UserOutputStorage, "output");
        }
        BuildSystemBuffer(runtime, irp);
        BuildMdl(runtime, irp);
        irp.Irp = new IRP(irp, stackCount) { RequestorMode = submission.RequestorMode };
        FillStackLocation(irp, irp.Irp.TopLocation);
        irp.Irp.AssociatedIrp.SystemBuffer = irp.SystemBuffer is null ? default : new PVOID(irp.SystemBuffer, 0);
        irp.Irp.MdlAddress = new PMDL(irp.Mdl);
        irp.Irp.UserBuffer = UserBufferOf(irp);
        return irp;
    }

    /// <summary>
    /// The sender's buffer as the IRP carries it. An application's (<c>UserMode</c>) is pageable user memory that must be
    /// probed before a neither-I/O driver touches it; another driver's (<c>KernelMode</c>: internal device controls,
    /// <c>IoBuildDeviceIoControlRequest</c>) is a kernel address that needs no probe (and that <c>ProbeForRead</c> refuses).
    /// </summary>
    private static Allocation? UserAddress(IrpTracker irp, Storage storage, string direction)
    {
        if (storage.Bytes.Length == 0)
        {
            return null;
        }
        bool fromUserMode = irp.Submission.RequestorMode == KPROCESSOR_MODE.UserMode;
        var owner = fromUserMode ? "user" : "sending driver's";
        var view = new Allocation(irp.Runtime, storage, 0, storage.Bytes.Length, $"{owner} {direction} buffer of {irp.Name}")
        {
            RequiresProbe = fromUserMode,
            Pageable = fromUserMode,
        };
        irp.Track(view);
        return view;
    }

    private static void BuildSystemBuffer(DriverRuntime runtime, IrpTracker irp)
    {
        var s = irp.Submission;
        int inputBytes = s.InputMethod == TransferMethod.Buffered ? s.UserInput?.Length ?? 0 : 0;
        int outputBytes = s.OutputMethod == TransferMethod.Buffered ? s.UserOutput?.Length ?? 0 : 0;
        int size = System.Math.Max(inputBytes, outputBytes);
        if (size == 0)
        {
            return;
        }
        var systemBuffer = new Allocation(runtime, new Storage(size), 0, size, $"system buffer of {irp.Name}");
        systemBuffer.RawBytes.Fill(MemoryPatterns.Uninitialized);
        s.UserInput.AsSpan(0, inputBytes).CopyTo(systemBuffer.RawBytes);
        irp.SystemBuffer = systemBuffer;
        irp.Track(systemBuffer);
    }

    private static void BuildMdl(DriverRuntime runtime, IrpTracker irp)
    {
        var s = irp.Submission;
        var described = s.OutputMethod == TransferMethod.Direct ? irp.UserOutputAddress
            : s.InputMethod == TransferMethod.Direct ? irp.UserInputAddress
            : null;
        if (described is null)
        {
            return;
        }
        var mdl = new MemoryDescriptorList(runtime, new PVOID(described, 0), (uint)described.Length) { OwnedBy = irp.Name };
        mdl.ProbeAndLock("IoManager");
        irp.Mdl = mdl;
        irp.Track(mdl);
    }

    private static PVOID UserBufferOf(IrpTracker irp)
    {
        var s = irp.Submission;
        var address = s.Type == WDF_REQUEST_TYPE.WdfRequestTypeWrite ? irp.UserInputAddress : irp.UserOutputAddress;
        return address is null ? default : new PVOID(address, 0);
    }

    private static void FillStackLocation(IrpTracker irp, IO_STACK_LOCATION stack)
    {
        var s = irp.Submission;
        stack.MajorFunction = (byte)s.Type;
        stack.MinorFunction = s.MinorFunction;
        stack.Parameters.Read.Length = (uint)irp.OutputLength;
        stack.Parameters.Read.ByteOffset = s.DeviceOffset;
        stack.Parameters.Write.Length = (uint)irp.InputLength;
        stack.Parameters.Write.ByteOffset = s.DeviceOffset;
        stack.Parameters.DeviceIoControl.IoControlCode = s.IoControlCode;
        stack.Parameters.DeviceIoControl.InputBufferLength = (uint)irp.InputLength;
        stack.Parameters.DeviceIoControl.OutputBufferLength = (uint)irp.OutputLength;
        if (s.InputMethod == TransferMethod.Neither && irp.UserInputAddress is not null)
        {
            stack.Parameters.DeviceIoControl.Type3InputBuffer = new PVOID(irp.UserInputAddress, 0);
        }
    }
}
