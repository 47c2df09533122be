using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Copies.PointerAccessAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Copies;

public class Drv024PointerAccessTests
{
    private static Task Check(string body) => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap(body));

    /// <summary>
    /// general/ioctl/wdm SioctlDeviceControl, METHOD_NEITHER: lengths of 0 leave at once (<c>if (!inBufLength ||
    /// !outBufLength) goto End;</c>), and the input buffer is locked behind an MDL of <c>inBufLength</c> bytes: its system
    /// address holds at least one byte.
    /// </summary>
    [Fact]
    public Task Silent_OneByteOfAnMdlOfANonZeroLength() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS ntStatus = STATUS_SUCCESS;
                IO_STACK_LOCATION irpSp = IoGetCurrentIrpStackLocation(Irp);
                uint inBufLength = irpSp.Parameters.DeviceIoControl.InputBufferLength;
                uint outBufLength = irpSp.Parameters.DeviceIoControl.OutputBufferLength;
                if (inBufLength == 0 || outBufLength == 0)
                {
                    ntStatus = STATUS_INVALID_PARAMETER;
                    goto End;
                }

                PMDL mdl = IoAllocateMdl(irpSp.Parameters.DeviceIoControl.Type3InputBuffer, inBufLength, FALSE, TRUE, null);
                if (mdl == default)
                {
                    ntStatus = STATUS_INSUFFICIENT_RESOURCES;
                    goto End;
                }

                try
                {
                    MmProbeAndLockPages(mdl, UserMode, IoReadAccess);
                }
                catch (NtStatusException e)
                {
                    ntStatus = e.Status;
                    IoFreeMdl(mdl);
                    goto End;
                }

                PVOID buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (buffer != NULL)
                {
                    byte command = buffer.Read<byte>(0);
                }

                MmUnlockPages(mdl);
                IoFreeMdl(mdl);

            End:
                Irp.IoStatus.Status = ntStatus;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return ntStatus;
            }
        }
        """);

    /// <summary>The same MDL read four bytes wide: only one byte is known, so the read is past the MDL's <c>inBufLength</c>.</summary>
    [Fact]
    public Task FourBytesOfAnMdlOfANonZeroLengthAreFlagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Read(IRP Irp, uint inBufLength)
            {
                if (inBufLength != 0)
                {
                    PMDL mdl = IoAllocateMdl(Irp.UserBuffer, inBufLength, FALSE, TRUE, null);
                    if (mdl != default)
                    {
                        MmBuildMdlForNonPagedPool(mdl);
                        PVOID buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                        if (buffer != NULL)
                        {
                            uint command = {|DRV024:buffer.Read<uint>(0)|};
                        }

                        IoFreeMdl(mdl);
                    }
                }
            }
        }
        """);

    /// <summary>
    /// bluetooth/serialhcibus ReadRequestComplete: a request the driver takes from its own manual queue was checked where
    /// it was queued (its EvtIoDeviceControl forwards it only when the output holds the HCI header), so writing the header
    /// before comparing with the memory's size is not judged by that size.
    /// </summary>
    [Fact]
    public Task Silent_HeaderOfARequestTakenFromTheDriversOwnQueue() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void ReadRequestComplete(WDFQUEUE queue, uint packetLength)
            {
                NTSTATUS status = WdfIoQueueRetrieveNextRequest(queue, out WDFREQUEST request);
                if (!NT_SUCCESS(status))
                {
                    return;
                }

                status = WdfRequestRetrieveOutputMemory(request, out WDFMEMORY memory);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestCompleteWithInformation(request, status, 0);
                    return;
                }

                PVOID context = WdfMemoryGetBuffer(memory, out nuint bufferSize);
                context.Write<uint>(0, packetLength);
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 4);
            }
        }
        """);

    /// <summary>The same write into the memory of a request the function did not take from a queue: judged by the memory's size.</summary>
    [Fact]
    public Task HeaderOfARequestNotTakenFromAQueueIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void ReadRequestComplete(WDFREQUEST request, uint packetLength)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(request, out WDFMEMORY memory);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestCompleteWithInformation(request, status, 0);
                    return;
                }

                PVOID context = WdfMemoryGetBuffer(memory, out nuint bufferSize);
                {|DRV024:context.Write<uint>(0, packetLength)|};
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 4);
            }
        }
        """);

    [Fact]
    public Task ALoopOverAnotherLengthIsFlagged() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = {|#1:WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                uint sum = 0;
                for (nuint i = 0; i < OutputBufferLength; i++)
                {
                    sum += {|#0:inBuf.Read<byte>(i)|};
                }
                WdfRequestComplete(Request, STATUS_SUCCESS);
        """),
        Verify.Diagnostic("DRV024").WithLocation(0).WithLocation(1)
            .WithArguments("PVOID.Read<byte>", "reads", "inBuf", "i", ", bounded by 'OutputBufferLength' but not by", "inLen", "WdfRequestRetrieveInputBuffer, line 8"));

    /// <summary>
    /// An accessor at a constant offset past the buffer's known size (the retrieve's minimum, a pool block's size, an
    /// array's length): DRV024 (before the split of RULES.md it was DRV020's). The message names the accessor, the buffer,
    /// the offset, the bytes moved and the known size.
    /// </summary>
    [Fact]
    public Task AccessorsAtAConstantOffsetPastTheSizeAreFlagged() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = {|#1:WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, out var outLen)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var local = {|#3:ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C)|};
                {|#0:outBuf.Write<long>(0, 1)|};
                {|#2:outBuf.Write<int>(4, 1)|};
                {|#4:local.Read<ulong>(12)|};
                {|#5:outBuf.CopyFrom(Table, 0)|};
                var small = new byte[2];
                outBuf.CopyFrom(small, 0);
                outBuf.CopyTo(small, 2);
                local.Write<ulong>(8, 1);
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """),
        Verify.Diagnostic("DRV024").WithLocation(0).WithLocation(1)
            .WithArguments("PVOID.Write<long>", "writes", "outBuf", "0", " (8 bytes), not bounded by", "outLen", "WdfRequestRetrieveOutputBuffer, line 8"),
        Verify.Diagnostic("DRV024").WithLocation(2).WithLocation(1)
            .WithArguments("PVOID.Write<int>", "writes", "outBuf", "4", " (4 bytes), not bounded by", "outLen", "WdfRequestRetrieveOutputBuffer, line 8"),
        Verify.Diagnostic("DRV024").WithLocation(4).WithLocation(3)
            .WithArguments("PVOID.Read<ulong>", "reads", "local", "12", " (8 bytes), beyond", "16", "ExAllocatePool2, line 10"),
        Verify.Diagnostic("DRV024").WithLocation(5).WithLocation(1)
            .WithArguments("PVOID.CopyFrom", "writes", "outBuf", "0", " ('Table.Length' bytes), not bounded by", "outLen", "WdfRequestRetrieveOutputBuffer, line 8"));

    /// <summary>
    /// Accessors at constant offsets within the guaranteed minimum, after a length check that leaves, or into a buffer of
    /// unknown size (a parameter of a helper no call sizes) are silent; one past the minimum is flagged.
    /// </summary>
    [Fact]
    public Task AccessorsWithinTheKnownSizeAreSilent() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveOutputBuffer(Request, 16, out var outBuf, NULL);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                outBuf.Write<long>(8, 1);
                outBuf.Write<Pair>(0, default);
                var read = outBuf.Read<uint>(12);
                {|DRV024:outBuf.Write<long>(12, 1)|};
                status = WdfRequestRetrieveInputBuffer(Request, 0, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (inLen < sizeof(long))
                {
                    WdfRequestComplete(Request, STATUS_BUFFER_TOO_SMALL);
                    return;
                }
                var value = inBuf.Read<long>(0);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 16);
            }

            struct Pair
            {
                public long A;
                public int B;
        """) + """

        class Helper
        {
            public static void Copy(PVOID destination, PVOID source, nuint length)
            {
                destination.Write<long>(100, 0);
            }
        }
        """);

    /// <summary><c>#pragma warning disable DRV024</c> silences one finding; the <c>.editorconfig</c> severity applies to the rest.</summary>
    [Fact]
    public Task PragmaAndEditorConfigAreHonoured() => new Verify.Test
    {
        TestCode = Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveOutputBuffer(Request, 4, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        #pragma warning disable DRV024
                outBuf.Write<long>(0, 1);
        #pragma warning restore DRV024
                outBuf.Write<long>(0, 2);
                WdfRequestComplete(Request, status);
        """),
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.DRV024.severity = error\n") } },
        ExpectedDiagnostics = { Verify.Diagnostic("DRV024").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(13, 9).WithMessage(null).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations) },
        TestBehaviors = TestBehaviors.SkipSuppressionCheck,
    }.RunAsync();

    /// <summary>
    /// Issue 11 (VHidMini2): a helper that hands out a retrieved buffer and its length in an <c>out</c> structure
    /// (<c>RequestGetHidXferPacket_ToReadFromDevice(Request, out HID_XFER_PACKET Packet)</c>, here <c>GetPacket</c>): after the call the packet's
    /// buffer holds at least <c>packet.reportBufferLen</c> bytes and at least one (KMDF fails an empty buffer), so the
    /// second byte written without checking that length is past what is known; the first byte is not.
    /// </summary>
    [Fact]
    public Task ABufferOfAHelpersOutStructureIsSizedByItsLengthField() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS GetInputReport(WDFREQUEST Request)
            {
                HID_XFER_PACKET packet;
                NTSTATUS status = {|#1:GetPacket(Request, out packet)|};
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                PVOID reportBuffer = packet.reportBuffer;
                reportBuffer.Write<byte>(0, 1);
                {|#0:reportBuffer.Write<byte>(1, 2)|};
                WdfRequestSetInformation(Request, 2);
                return status;
            }
        """ + PacketHelpers,
        Verify.Diagnostic("DRV024").WithLocation(0).WithLocation(1)
            .WithArguments("PVOID.Write<byte>", "writes", "reportBuffer", "1", " (1 byte), not bounded by", "packet.reportBufferLen", "GetPacket, line 6"));

    /// <summary>
    /// KMDF fails <c>WdfRequestRetrieve{Input,Output}{Buffer,Memory}</c> on an empty buffer (STATUS_BUFFER_TOO_SMALL), so
    /// what they hand out holds at least one byte even with a minimum of 0: the first byte is silent, two bytes are not
    /// known to fit.
    /// </summary>
    [Fact]
    public Task ARetrievedBufferHoldsAtLeastOneByte() => Check("""
                status = WdfRequestRetrieveOutputBuffer(Request, 0, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                outBuf.Write<byte>(0, 1);
                {|DRV024:outBuf.Write<ushort>(0, 1)|};
                status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var input = WdfMemoryGetBuffer(memory, out var size);
                uint sum = input.Read<byte>(0);
                sum += {|DRV024:input.Read<byte>(1)|};
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 1);
        """);

    /// <summary>The helper of <see cref="ABufferOfAHelpersOutStructureIsSizedByItsLengthField"/>, and one that fills an out buffer and its length.</summary>
    internal const string PacketHelpers = """

            public struct HID_XFER_PACKET
            {
                public PVOID reportBuffer;
                public uint reportBufferLen;
                public byte reportId;
            }

            static NTSTATUS GetPacket(WDFREQUEST Request, out HID_XFER_PACKET Packet)
            {
                Packet = default;
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var outputMemory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                PVOID outputBuffer = WdfMemoryGetBuffer(outputMemory, out var outputBufferLength);
                Packet.reportBuffer = outputBuffer;
                Packet.reportBufferLen = (uint)outputBufferLength;
                return status;
            }

            static NTSTATUS GetBuffer(WDFREQUEST Request, out PVOID Buffer, out nuint Length)
            {
                Buffer = NULL;
                Length = 0;
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, sizeof(ushort), out var input, out var inputLength);
                if (NT_SUCCESS(status))
                {
                    Buffer = input;
                    Length = inputLength;
                }

                return status;
            }
        }
        """;

    /// <summary>
    /// The WDK sample's form: the caller checks the packet's length before it writes (VHidMini2's SetFeature and
    /// GetFeature), or writes only the first byte; an out buffer with an out length whose caller checks that length (or
    /// stays within the helper's minimum of 2) is silent too.
    /// </summary>
    [Fact]
    public Task ABufferOfAHelpersOutputCheckedAgainstItsLengthIsSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS SetFeature(WDFREQUEST Request)
            {
                NTSTATUS status = GetPacket(Request, out var packet);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                if (packet.reportBufferLen < 8)
                {
                    return STATUS_INVALID_BUFFER_SIZE;
                }

                PVOID controlInfo = packet.reportBuffer;
                controlInfo.Write<byte>(0, 1);
                controlInfo.Write<ushort>(2, 2);
                controlInfo.Write<uint>(4, 3);
                return status;
            }

            static NTSTATUS FirstByte(WDFREQUEST Request)
            {
                NTSTATUS status = GetPacket(Request, out var packet);
                if (NT_SUCCESS(status))
                {
                    packet.reportBuffer.Write<byte>(0, 1);
                }

                return status;
            }

            static NTSTATUS Read(WDFREQUEST Request)
            {
                NTSTATUS status = GetBuffer(Request, out var buffer, out var length);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                ushort value = buffer.Read<ushort>(0);
                if (length >= 8)
                {
                    value += (ushort)buffer.Read<uint>(4);
                }

                for (nuint i = 0; i < length; i++)
                {
                    value += buffer.Read<byte>(i);
                }

                return value == 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
            }
        """ + PacketHelpers);

    /// <summary>
    /// An out buffer read past the helper's minimum (2 bytes) and by a loop that may reach its out length: flagged. The
    /// helper hands them out only on success, before one shared return (<c>if (NT_SUCCESS(status)) { … } return status;</c>).
    /// </summary>
    [Fact]
    public Task AnOutBufferReadPastItsOutLengthIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS Read(WDFREQUEST Request)
            {
                NTSTATUS status = GetBuffer(Request, out var buffer, out var length);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                uint value = {|DRV024:buffer.Read<uint>(0)|};
                for (nuint i = 0; i <= length; i++)
                {
                    value += {|DRV024:buffer.Read<byte>(i)|};
                }

                return value == 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
            }
        """ + PacketHelpers);

    /// <summary>
    /// Sizes out of a helper are followed only as deep as <c>driverbuffers.helper_depth</c> says: at 0, the packet's
    /// buffer has no known size and nothing is judged; a helper that stores a buffer of unknown size on one of its paths
    /// (or whose buffer member is not <c>NULL</c> on a return where it is not sized) sizes nothing.
    /// </summary>
    [Fact]
    public async Task SizesOutOfAHelperFollowTheHelperDepthAndEveryReturn()
    {
        const string source = """
            class Driver
            {
                PVOID Scratch;

                NTSTATUS Write(WDFREQUEST Request)
                {
                    NTSTATUS status = GetPacket(Request, out var packet);
                    if (NT_SUCCESS(status))
                    {
                        {|#0:packet.reportBuffer.Write<ushort>(0, 1)|};
                    }

                    status = GetPacketOrScratch(Request, out var other);
                    other.reportBuffer.Write<ushort>(0, 1);
                    return status;
                }

                NTSTATUS GetPacketOrScratch(WDFREQUEST Request, out HID_XFER_PACKET Packet)
                {
                    NTSTATUS status = GetPacket(Request, out Packet);
                    if (!NT_SUCCESS(status))
                    {
                        Packet.reportBuffer = Scratch;
                    }

                    return STATUS_SUCCESS;
                }
            """ + PacketHelpers;
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("DRV024").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null));
        await new Verify.Test
        {
            TestCode = source,
            TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = 0\n") } },
        }.RunAsync();
    }

    [Fact]
    public Task LoopsPastAConstantSizeAreFlagged() => Check("""
                status = WdfRequestRetrieveOutputBuffer(Request, 8, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C);
                for (nuint i = 0; i < 32; i++)
                {
                    {|DRV024:block.Write<byte>(i, 0)|};
                }
                for (nuint j = 0; j < 8; j += 4)
                {
                    {|DRV024:outBuf.Write<long>(j, 0)|};
                }
                ExFreePoolWithTag(block, 0x6B6F6F4C);
                WdfRequestComplete(Request, STATUS_SUCCESS);
        """);

    /// <summary>The loops of the WDK samples (bounded by the buffer's own length, or a constant within it) are silent.</summary>
    [Fact]
    public Task LoopsBoundedByTheBuffersSizeAreSilent() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                uint sum = 0;
                for (nuint i = 0; i < inLen; i++) { sum += inBuf.Read<byte>(i); }
                for (nuint i = 0; i < InputBufferLength; i++) { sum += inBuf.Read<byte>(i); }
                for (nuint i = 0; i < 4; i++) { sum += inBuf.Read<byte>(i); }
                nuint count = Math.Min(inLen, OutputBufferLength);
                for (nuint i = 0; i < count; i++) { sum += inBuf.Read<byte>(i); }
                nuint offset = OutputBufferLength;
                if (offset < inLen) { sum += inBuf.Read<byte>(offset); }
                sum += inBuf.Read<byte>(offset * 2);
                inBuf.Write<byte>(0, 1);
                WdfRequestComplete(Request, STATUS_SUCCESS);
        """);

    /// <summary>
    /// An index that may reach the buffer's size (<c>i &lt;= n</c>, a check <c>offset &gt; n</c> that lets <c>n</c> through)
    /// touches the byte past the end: the <c>i &lt; n</c> of the samples is told from <c>i &lt;= n</c>.
    /// </summary>
    [Fact]
    public Task AnIndexThatMayReachTheSizeIsFlagged() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                uint sum = 0;
                for (nuint i = 0; i <= inLen; i++) { sum += {|DRV024:inBuf.Read<byte>(i)|}; }
                for (nuint i = 0; i <= InputBufferLength; i++) { sum += {|DRV024:inBuf.Read<byte>(i)|}; }
                nuint offset = OutputBufferLength;
                if (offset > inLen) { WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }
                sum += {|DRV024:inBuf.Read<byte>(offset)|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
        """);

    /// <summary>The same indexes kept below the size (the WDK samples' loops, the last byte at <c>n - 1</c>) are silent.</summary>
    [Fact]
    public Task AnIndexKeptBelowTheSizeIsSilent() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                uint sum = 0;
                nuint count = Math.Min(inLen, OutputBufferLength);
                for (nuint i = 0; i < count; i++) { sum += inBuf.Read<byte>(i); }
                nuint limit = count;
                for (nuint i = 0; limit > i; i++) { sum += inBuf.Read<byte>(i); }
                nuint offset = OutputBufferLength;
                if (offset >= inLen) { WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }
                sum += inBuf.Read<byte>(offset);
                nuint last = inLen - 1;
                sum += inBuf.Read<byte>(last);
                for (nuint i = 0; i <= last; i++) { sum += inBuf.Read<byte>(i); }
                nuint index = OutputBufferLength;
                if (index > inLen) { WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }
                if (index < inLen) { sum += inBuf.Read<byte>(index); }
                WdfRequestComplete(Request, STATUS_SUCCESS);
        """);

    /// <summary>
    /// A helper's buffer parameter is sized by its callers (VirtualSerial2's <c>QueueProcessWriteBytes</c>): every call
    /// passes the retrieved write buffer with its length, so an index that may reach that length is one past the end.
    /// </summary>
    [Fact]
    public Task AHelpersIndexThatMayReachItsCallersLengthIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = ProcessWriteBytes(WdfMemoryGetBuffer(memory, NULL), Length);
                WdfRequestCompleteWithInformation(Request, status, Length);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var buffer, out var length);
                if (NT_SUCCESS(status)) { status = ProcessWriteBytes(buffer, length); }
                WdfRequestComplete(Request, status);
            }

            static NTSTATUS ProcessWriteBytes(PVOID Characters, nuint {|#1:Length|})
            {
                uint sum = 0;
                for (nuint i = 0; i <= Length; i++)
                {
                    sum += {|#0:Characters.Read<byte>(i)|};
                }

                return sum == 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic("DRV024").WithLocation(0).WithLocation(1)
            .WithArguments("PVOID.Read<byte>", "reads", "Characters", "i", ", bounded by 'Length', which it may reach, but not by", "Length", "its callers' 'Length', line 18"));

    /// <summary>
    /// The WDK sample's loop (<c>i &lt; Length</c>) is silent, and so is a helper whose calls do not all size its buffer with
    /// that length (one caller passes another length) or whose callers are not all known (it is also passed as a delegate).
    /// </summary>
    [Fact]
    public Task AHelpersIndexBelowItsCallersLengthOrWithUnknownCallersIsSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                PVOID buffer = WdfMemoryGetBuffer(memory, NULL);
                status = ProcessWriteBytes(buffer, Length);
                status = Unpaired(buffer, Length);
                status = Unpaired(buffer, Length + 4);
                status = Escaping(buffer, Length);
                Func<PVOID, nuint, NTSTATUS> later = Escaping;
                WdfRequestCompleteWithInformation(Request, status, Length);
            }

            static NTSTATUS ProcessWriteBytes(PVOID Characters, nuint Length)
            {
                uint sum = 0;
                for (nuint i = 0; i < Length; i++) { sum += Characters.Read<byte>(i); }
                return sum == 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
            }

            static NTSTATUS Unpaired(PVOID Characters, nuint Length)
            {
                uint sum = 0;
                for (nuint i = 0; i <= Length; i++) { sum += Characters.Read<byte>(i); }
                return sum == 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
            }

            static NTSTATUS Escaping(PVOID Characters, nuint Length)
            {
                uint sum = 0;
                for (nuint i = 0; i <= Length; i++) { sum += Characters.Read<byte>(i); }
                return sum == 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>
    /// A chain of helpers that each read one byte at a constant offset after checking the length their callers size the
    /// buffer with stays silent: a number parameter every caller passes as 0 (a running checksum) sizes nothing, and a
    /// buffer sized by two parameters keeps both sizes.
    /// </summary>
    [Fact]
    public Task AHelperChainCheckingItsCallersLengthIsSilent() => VerifyAllCopies("""
        class Driver
        {
            static uint LastByte;

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out PVOID input, out nuint inputLength);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                Step1(Request, input, inputLength, inputLength, 0);
            }

            static void Step1(WDFREQUEST request, PVOID buffer, nuint length, nuint copy, uint checksum)
            {
                if (length > 1) { checksum += buffer.Read<byte>(1); }
                for (nuint i = 0; i < copy; i++) { checksum += buffer.Read<byte>(i); }
                Step2(request, buffer, length, checksum);
            }

            static void Step2(WDFREQUEST request, PVOID buffer, nuint length, uint checksum)
            {
                if (length > 2) { checksum += buffer.Read<byte>(2); }
                LastByte = checksum;
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length);
            }
        }
        """);

    /// <summary>Silent under DRV024 and under DRV020/DRV023.</summary>
    private static async Task VerifyAllCopies(string source)
    {
        await Verify.VerifyAnalyzerAsync(source);
        await CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Copies.CopyBoundsAnalyzer>.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public Task CodeBeingTypedRaisesNoException() => new Verify.Test
    {
        TestCode = Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen);
                for (nuint i = 0; i < ; i++) { inBuf.Read<byte>(i
        """),
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();

    /// <summary>
    /// At a non-zero constant offset the analysis judges a length it follows: a span whose length it does not know (a
    /// <c>stackalloc</c>, not followed) is not judged there, while a span created with a length past the size is.
    /// </summary>
    [Fact]
    public Task ASpanOfUnknownLengthAtAnOffsetIsNotJudged() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveInputBuffer(Request, 64, out var input, out var inputLength);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                Span<byte> field = stackalloc byte[8];
                input.CopyTo(field, 8);
                var large = new byte[64];
                {|DRV024:input.CopyTo(large, 8)|};
                WdfRequestComplete(Request, status);
        """));


    // ---- The WDM system buffer of a METHOD_BUFFERED IOCTL: max(InputBufferLength, OutputBufferLength) bytes ----

    /// <summary>
    /// A legacy WDM driver with IOCTL codes of each transfer type (CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800 + n, method,
    /// FILE_ANY_ACCESS)), GET_CALLBACK_VERSION_OUTPUT's field offsets, and the dispatch routine and helpers <paramref name="members"/>.
    /// </summary>
    private static string WdmDriver(string members) => """
        class Driver
        {
            const uint IOCTL_BUFFERED = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x800 << 2) | METHOD_BUFFERED;
            const uint IOCTL_BUFFERED_TOO = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x801 << 2) | METHOD_BUFFERED;
            const uint IOCTL_NEITHER = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x802 << 2) | METHOD_NEITHER;
            const uint IOCTL_OUT_DIRECT = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x803 << 2) | METHOD_OUT_DIRECT;
            const nuint VERSION_Major = 0;
            const nuint VERSION_Minor = 4;

        """ + members + """

        }
        """;

    /// <summary>
    /// general/registry/regfltr GetCallbackVersion, its bug: the output length is checked against one ULONG and both ULONGs
    /// of the 8-byte GET_CALLBACK_VERSION_OUTPUT are written; with no input the system buffer holds the 4 bytes checked.
    /// </summary>
    [Fact]
    public Task SystemBufferWrittenPastTheOutputLengthCheckedIsFlagged() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                uint ioctl = irpStack.Parameters.DeviceIoControl.IoControlCode;
                switch (ioctl)
                {
                    case IOCTL_BUFFERED:
                        uint outputLength = irpStack.Parameters.DeviceIoControl.OutputBufferLength;
                        if (outputLength < sizeof(uint))
                        {
                            status = STATUS_INVALID_PARAMETER;
                            break;
                        }

                        PVOID output = Irp.AssociatedIrp.SystemBuffer;
                        output.Write<uint>(VERSION_Major, 1);
                        {|DRV024:output.Write<uint>(VERSION_Minor, 2)|};
                        Irp.IoStatus.Information = 8;
                        status = STATUS_SUCCESS;
                        break;
                }

                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        """));

    /// <summary>
    /// The same write past an output length checked on the stack location itself: the message names the length that was
    /// checked (the output's), not the input's, which the buffer also holds at least but nothing compared.
    /// </summary>
    [Fact]
    public Task SystemBufferPastTheOutputLengthCheckedNamesThatLength() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
                IO_STACK_LOCATION irpStack = {|#1:IoGetCurrentIrpStackLocation(Irp)|};
                switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
                {
                    case IOCTL_BUFFERED:
                        if (irpStack.Parameters.DeviceIoControl.OutputBufferLength < sizeof(uint))
                        {
                            status = STATUS_INVALID_PARAMETER;
                            break;
                        }

                        {|#0:Irp.AssociatedIrp.SystemBuffer.Write<ulong>(0, 1)|};
                        Irp.IoStatus.Information = 8;
                        status = STATUS_SUCCESS;
                        break;
                }

                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        """),
        Verify.Diagnostic("DRV024").WithLocation(0).WithLocation(1)
            .WithArguments("PVOID.Write<ulong>", "writes", "Irp.AssociatedIrp.SystemBuffer", "0", " (8 bytes), not bounded by",
                "irpStack.Parameters.DeviceIoControl.OutputBufferLength", "IoGetCurrentIrpStackLocation, line 12"));

    /// <summary>The shipped regfltr: the output length checked against the whole structure (8 bytes) bounds both writes.</summary>
    [Fact]
    public Task Silent_SystemBufferWrittenWithinTheOutputLengthChecked() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
                {
                    case IOCTL_BUFFERED:
                        if (irpStack.Parameters.DeviceIoControl.OutputBufferLength < 8)
                        {
                            status = STATUS_INVALID_PARAMETER;
                            break;
                        }

                        PVOID output = Irp.AssociatedIrp.SystemBuffer;
                        output.Write<uint>(VERSION_Major, 1);
                        output.Write<uint>(VERSION_Minor, 2);
                        Irp.IoStatus.Information = 8;
                        status = STATUS_SUCCESS;
                        break;
                }

                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        """));

    /// <summary>
    /// The system buffer holds the larger of the two lengths: 4 bytes of input and 8 of output checked, so the 8-byte
    /// buffer holds the write at offset 4 even though it is past the input's 4.
    /// </summary>
    [Fact]
    public Task Silent_SystemBufferPastTheInputLengthButWithinTheOutputLengthChecked() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                uint inputLength = irpStack.Parameters.DeviceIoControl.InputBufferLength;
                uint outputLength = irpStack.Parameters.DeviceIoControl.OutputBufferLength;
                switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
                {
                    case IOCTL_BUFFERED:
                        if (inputLength < sizeof(uint) || outputLength < 8)
                        {
                            status = STATUS_INVALID_PARAMETER;
                            break;
                        }

                        PVOID buffer = Irp.AssociatedIrp.SystemBuffer;
                        uint request = buffer.Read<uint>(0);
                        buffer.Write<uint>(VERSION_Minor, request);
                        Irp.IoStatus.Information = 8;
                        status = STATUS_SUCCESS;
                        break;
                }

                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        """));

    /// <summary>
    /// Only the input length checked (4 bytes) and 8 bytes read: the output may be shorter (or absent), so the buffer is
    /// known to hold only the 4 bytes of input.
    /// </summary>
    [Fact]
    public Task SystemBufferReadPastTheInputLengthCheckedIsFlagged() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
                {
                    case IOCTL_BUFFERED:
                    case IOCTL_BUFFERED_TOO:
                        if (irpStack.Parameters.DeviceIoControl.InputBufferLength < sizeof(int))
                        {
                            status = STATUS_INVALID_PARAMETER;
                            break;
                        }

                        long dueTime = {|DRV024:Irp.AssociatedIrp.SystemBuffer.Read<long>(0)|};
                        status = STATUS_SUCCESS;
                        break;
                }

                Irp.IoStatus.Status = status;
                Irp.IoStatus.Information = 0;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        """));

    /// <summary>
    /// METHOD_NEITHER and METHOD_OUT_DIRECT: the system buffer is not max(input, output) there (none, or the input only),
    /// so the same accesses say nothing; nor does a read outside any IOCTL's case (the default case, after the switch).
    /// </summary>
    [Fact]
    public Task Silent_SystemBufferOfANeitherOrDirectIoctlOrOutsideABufferedCase() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                if (irpStack.Parameters.DeviceIoControl.OutputBufferLength < sizeof(uint))
                {
                    status = STATUS_INVALID_PARAMETER;
                    goto End;
                }

                switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
                {
                    case IOCTL_NEITHER:
                        Irp.AssociatedIrp.SystemBuffer.Write<ulong>(0, 1);
                        break;
                    case IOCTL_OUT_DIRECT:
                        Irp.AssociatedIrp.SystemBuffer.Write<ulong>(0, 1);
                        break;
                    case IOCTL_BUFFERED:
                    case IOCTL_NEITHER + 4:
                        Irp.AssociatedIrp.SystemBuffer.Write<ulong>(0, 1);
                        break;
                    default:
                        Irp.AssociatedIrp.SystemBuffer.Write<ulong>(0, 1);
                        break;
                }

                Irp.AssociatedIrp.SystemBuffer.Write<ulong>(0, 1);
            End:
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        """));

    /// <summary>
    /// regfltr's shape: the dispatch routine calls a helper per IOCTL, and the helper checks the output length and writes the
    /// system buffer. Every caller calls it under a METHOD_BUFFERED case, so the helper's own check sizes the buffer.
    /// </summary>
    [Fact]
    public Task SystemBufferWrittenByAHelperPastTheLengthItCheckedIsFlagged() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                uint ioctl = irpStack.Parameters.DeviceIoControl.IoControlCode;
                switch (ioctl)
                {
                    case IOCTL_BUFFERED:
                        status = GetVersion(DeviceObject, Irp);
                        break;
                    case IOCTL_NEITHER:
                        status = GetVersionNeither(DeviceObject, Irp);
                        break;
                }

                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }

            NTSTATUS GetVersion(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                uint outputLength = irpStack.Parameters.DeviceIoControl.OutputBufferLength;
                if (outputLength < sizeof(uint))
                {
                    return STATUS_INVALID_PARAMETER;
                }

                PVOID output = Irp.AssociatedIrp.SystemBuffer;
                output.Write<uint>(VERSION_Major, 1);
                {|DRV024:output.Write<uint>(VERSION_Minor, 2)|};
                Irp.IoStatus.Information = 8;
                return STATUS_SUCCESS;
            }

            NTSTATUS GetVersionNeither(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                if (irpStack.Parameters.DeviceIoControl.OutputBufferLength < sizeof(uint))
                {
                    return STATUS_INVALID_PARAMETER;
                }

                Irp.AssociatedIrp.SystemBuffer.Write<uint>(VERSION_Minor, 2);
                return STATUS_SUCCESS;
            }
        """));

    /// <summary>
    /// general/event/wdm RegisterIrpBasedNotification, its bug: the dispatch routine checks 4 bytes of input (the
    /// notification type) and the helper reads and writes the 8-byte due time at offset 16 of the 24-byte REGISTER_EVENT.
    /// The shipped sample's check of the whole structure (the second caller's) bounds the same helper's twin.
    /// </summary>
    [Fact]
    public Task SystemBufferReadByAHelperPastTheLengthItsCallerCheckedIsFlagged() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
                {
                    case IOCTL_BUFFERED:
                        if (irpStack.Parameters.DeviceIoControl.InputBufferLength < sizeof(int))
                        {
                            status = STATUS_INVALID_PARAMETER;
                            break;
                        }

                        status = Register(DeviceObject, Irp);
                        break;
                    case IOCTL_BUFFERED_TOO:
                        if (irpStack.Parameters.DeviceIoControl.InputBufferLength < 24)
                        {
                            status = STATUS_INVALID_PARAMETER;
                            break;
                        }

                        status = RegisterChecked(DeviceObject, Irp);
                        break;
                    default:
                        status = STATUS_NOT_IMPLEMENTED;
                        break;
                }

                Irp.IoStatus.Status = status;
                Irp.IoStatus.Information = 0;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }

            NTSTATUS Register(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID registerEvent = Irp.AssociatedIrp.SystemBuffer;
                long dueTime = {|DRV024:registerEvent.Read<long>(16)|};
                return dueTime > 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
            }

            NTSTATUS RegisterChecked(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID registerEvent = Irp.AssociatedIrp.SystemBuffer;
                long dueTime = registerEvent.Read<long>(16);
                return dueTime > 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
            }
        """));

    /// <summary>
    /// A helper called under a METHOD_BUFFERED case by one caller and outside any case by another (or passed as a delegate)
    /// is not known to see a METHOD_BUFFERED IRP: nothing is said about its system buffer.
    /// </summary>
    [Fact]
    public Task Silent_SystemBufferOfAHelperNotEveryCallerOfWhichIsBuffered() => Verify.VerifyAnalyzerAsync(WdmDriver("""
            NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_SUCCESS;
                IO_STACK_LOCATION irpStack = IoGetCurrentIrpStackLocation(Irp);
                if (irpStack.Parameters.DeviceIoControl.InputBufferLength < sizeof(int))
                {
                    status = STATUS_INVALID_PARAMETER;
                }
                else
                {
                    switch (irpStack.Parameters.DeviceIoControl.IoControlCode)
                    {
                        case IOCTL_BUFFERED:
                            status = Register(DeviceObject, Irp);
                            break;
                    }

                    status = Register(DeviceObject, Irp);
                }

                Irp.IoStatus.Status = status;
                Irp.IoStatus.Information = 0;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }

            NTSTATUS Register(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                long dueTime = Irp.AssociatedIrp.SystemBuffer.Read<long>(16);
                return dueTime > 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
            }
        """));
}
