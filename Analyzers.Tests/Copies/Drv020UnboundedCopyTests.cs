using System.Threading.Tasks;
using DriverBuffers.Analyzers.Copies;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Copies.CopyBoundsAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Copies;

public class Drv020UnboundedCopyTests
{
    private static Task Check(string body) => Verify.VerifyAnalyzerAsync(Wrap(body));

    /// <summary>A device-control callback around <paramref name="body"/>.</summary>
    internal static string Wrap(string body) => $$"""
        class Driver
        {
            static readonly byte[] Table = new byte[64];

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
        {{body}}
            }
        }
        """;

    [Fact]
    public Task CopyOfTheInputLengthIntoTheOutputBufferIsFlagged() => Verify.VerifyAnalyzerAsync(Wrap("""
                status = WdfRequestRetrieveInputBuffer(Request, sizeof(int), out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = {|#1:WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, out var outLen)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                int value = inBuf.Read<int>(0);
                {|#0:RtlCopyMemory(outBuf, inBuf, inLen)|};
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, outLen);
        """),
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "inLen", "into", "outBuf", "outLen", "WdfRequestRetrieveOutputBuffer, line 10"));

    [Fact]
    public Task BoundedCopiesAreSilent() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, sizeof(int), out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfRequestRetrieveOutputBuffer(Request, 8, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) goto End;
                RtlCopyMemory(outBuf, inBuf, Math.Min(inLen, outLen));
                RtlCopyMemory(outBuf, inBuf, inLen < outLen ? inLen : outLen);
                RtlCopyMemory(outBuf, inBuf, sizeof(int));
                RtlCopyMemory(outBuf + 4, inBuf, 4);
                if (inLen > outLen)
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                    goto End;
                }
                RtlMoveMemory(outBuf, inBuf, inLen);
                RtlCopyMemory(outBuf, inBuf, outLen < inLen ? outLen : inLen);
                End:
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task UnboundedCopiesAreFlaggedOnEachSide() => Check("""
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C);
                {|DRV020:RtlCopyMemory(local, outBuf, outLen)|};
                {|DRV020:RtlCopyMemory(outBuf, local, 16)|};
                {|DRV020:RtlMoveMemory(outBuf, local, 8)|};
                RtlCopyMemory(outBuf, local, 4);
                {|DRV020:RtlCopyMemory(outBuf + 2, local, 4)|};
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """);

    /// <summary>
    /// Issue 11: a buffer a helper hands out in an <c>out</c> structure with its length (VHidMini2's
    /// <c>HID_XFER_PACKET</c>) bounds copies as the retrieved buffer would: a copy of more than the packet's length is
    /// flagged, one after a check of <c>packet.reportBufferLen</c> is silent.
    /// </summary>
    [Fact]
    public Task ACopyIntoABufferOfAHelpersOutStructureIsJudgedAgainstItsLengthField() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS Fill(WDFREQUEST Request, PVOID report)
            {
                NTSTATUS status = {|#1:GetPacket(Request, out var packet)|};
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                {|#0:RtlCopyMemory(packet.reportBuffer, report, 8)|};
                if (packet.reportBufferLen < 8)
                {
                    return STATUS_INVALID_BUFFER_SIZE;
                }

                RtlCopyMemory(packet.reportBuffer, report, 8);
                return status;
            }
        """ + Drv024PointerAccessTests.PacketHelpers,
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "8", "into", "packet.reportBuffer", "packet.reportBufferLen", "GetPacket, line 5"));

    [Fact]
    public Task AGuardThatDoesNotLeaveDoesNotBound() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (inLen > outLen)
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                }
                {|DRV020:RtlCopyMemory(outBuf, inBuf, inLen)|};
                inLen = inLen + 1;
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task ReassigningTheLengthAfterTheGuardIsFlagged() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                nuint n = inLen;
                if (n > outLen) { WdfRequestComplete(Request, STATUS_BUFFER_TOO_SMALL); return; }
                RtlCopyMemory(outBuf, inBuf, n);
                n = InputBufferLength;
                {|DRV020:RtlCopyMemory(outBuf, inBuf, n)|};
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task ConstantsWithinAGuaranteedMinimumAreSilent() => Check("""
                status = WdfRequestRetrieveOutputBuffer(Request, 16, out var outBuf, NULL);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C);
                RtlCopyMemory(outBuf + 8, outBuf, 8);
                RtlCopyMemory(outBuf, block, 16);
                {|DRV020:RtlCopyMemory(outBuf + 12, block, 8)|};
                ExFreePoolWithTag(block, 0x6B6F6F4C);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 16);
        """);

    [Fact]
    public Task ALengthCheckedAgainstAConstantMinimumIsSilent() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 0, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (inLen < sizeof(long))
                {
                    WdfRequestComplete(Request, STATUS_BUFFER_TOO_SMALL);
                    return;
                }
                var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                RtlCopyMemory(block, inBuf, sizeof(long));
                ExFreePoolWithTag(block, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """);

    /// <summary>
    /// One bug, one rule: the <c>PVOID</c> accessors past the known size (<c>Read&lt;T&gt;</c>, <c>Write&lt;T&gt;</c>,
    /// <c>CopyFrom</c>, <c>CopyTo</c>, at a constant offset too) are DRV024's, not DRV020's; the copy DDIs beside them are
    /// DRV020's. The same source under both analyzers: each site is reported by exactly one.
    /// </summary>
    [Fact]
    public async Task AccessorsPastTheSizeAreDrv024sAndCopiesDrv020s()
    {
        var source = Wrap("""
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C);
                {|#0:RtlCopyMemory(outBuf, local, 16)|};
                {|#1:outBuf.Write<long>(0, 1)|};
                {|#2:outBuf.CopyFrom(Table, 0)|};
                var read = {|#3:outBuf.Read<ulong>(0)|};
                {|#4:RtlMoveMemory(local, outBuf, outLen)|};
                var copy = new byte[8];
                {|#5:outBuf.CopyTo(copy, 0)|};
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("DRV020").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null),
            Verify.Diagnostic("DRV020").WithLocation(4).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null));
        var accessors = CSharpAnalyzerVerifier<PointerAccessAnalyzer>.Diagnostic("DRV024").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null);
        await CSharpAnalyzerVerifier<PointerAccessAnalyzer>.VerifyAnalyzerAsync(source,
            accessors.WithLocation(1), accessors.WithLocation(2), accessors.WithLocation(3), accessors.WithLocation(5));
    }

    [Fact]
    public Task CopiesSizedByTheirAllocationAreSilent() => Check("""
                nuint count = InputBufferLength / 4;
                var pool = ExAllocatePool2(POOL_FLAG_NON_PAGED, count * sizeof(int), 0x6B6F6F4C);
                status = WdfRequestRetrieveInputBuffer(Request, count * sizeof(int), out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                RtlCopyMemory(pool, inBuf, count * sizeof(int));
                status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x6B6F6F4C, InputBufferLength, out var memory, out var memoryBuffer);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                RtlCopyMemory(memoryBuffer, inBuf, InputBufferLength);
                var again = WdfMemoryGetBuffer(memory, out var size);
                RtlCopyMemory(again, inBuf, Math.Min(size, inLen));
                RtlCopyMemory(again, inBuf, inLen);
                ExFreePoolWithTag(pool, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task MdlBuffersAreSizedByTheirByteCount() => Check("""
                status = WdfRequestRetrieveOutputWdmMdl(Request, out var mdl);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var address = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                uint count = MmGetMdlByteCount(mdl);
                var source = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x6B6F6F4C);
                RtlCopyMemory(address, source, count < 64 ? count : 64);
                {|DRV020:RtlCopyMemory(address, source, MmGetMdlByteCount(mdl))|};
                {|DRV020:RtlCopyMemory(address, source, 64)|};
                ExFreePoolWithTag(source, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task BuffersOfUnknownSizeAreNotJudged() => Verify.VerifyAnalyzerAsync("""
        class Helper
        {
            static void Copy(PVOID destination, PVOID source, nuint length)
            {
                RtlCopyMemory(destination, source, length);
                destination.Write<long>(100, 0);
            }
        }
        """);

    [Fact]
    public Task CodeBeingTypedRaisesNoException() => new Verify.Test
    {
        TestCode = Wrap("""
                status = WdfRequestRetrieveOutputBuffer(Request, , out var outBuf, out
                RtlCopyMemory(outBuf, , );
                outBuf.Write<>(0,
                if (inLen > ) goto ;
        """),
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();

    [Fact]
    public Task CodeWithoutTheApiIsIgnored() => new Verify.Test
    {
        TestCode = """
            static class Wdm { public static void RtlCopyMemory(object a, object b, ulong n) { } }
            class C { void M(byte[] a) { Wdm.RtlCopyMemory(a, a, 100); } }
            """,
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public Task LoopsReachAFixedPoint() => Check("""
                status = WdfRequestRetrieveOutputBuffer(Request, 64, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                nuint offset = 0;
                nuint n = 4;
                while (offset < outLen)
                {
                    n = n + 4;
                    offset += 4;
                }
                {|DRV020:RtlCopyMemory(outBuf, outBuf, n)|};
                WdfRequestComplete(Request, status);
        """);

    private const string Overrun = """
                status = WdfRequestRetrieveOutputBuffer(Request, 4, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        #pragma warning disable DRV020
                RtlCopyMemory(outBuf, outBuf, 8);
        #pragma warning restore DRV020
                RtlCopyMemory(outBuf, outBuf, 8);
                WdfRequestComplete(Request, status);
        """;

    [Fact]
    public Task PragmaAndEditorConfigAreHonoured() => new Verify.Test
    {
        TestCode = Wrap(Overrun),
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.DRV020.severity = none\n") } },
    }.RunAsync();

    [Fact]
    public Task PragmaSilencesOneFindingAndEditorConfigRaisesTheRest() => new Verify.Test
    {
        TestCode = Wrap(Overrun),
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.DRV020.severity = error\n") } },
        ExpectedDiagnostics = { Verify.Diagnostic("DRV020").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(13, 9).WithMessage(null).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations) },
        // The source restores DRV020 itself, so the framework's extra run under a leading #pragma warning disable
        // (which expects every finding gone) does not apply.
        TestBehaviors = TestBehaviors.SkipSuppressionCheck,
    }.RunAsync();

    [Fact]
    public Task GeneratedCodeIsSkipped() => Verify.VerifyAnalyzerAsync("// <auto-generated/>\n" + Wrap(Overrun));

    [Fact]
    public Task SwitchCasesThatBreakOnFailureAndShareALengthVariable() => Check("""
                nuint bufSize;
                PVOID inBuf, outBuf;
                switch (IoControlCode)
                {
                    case 1:
                        status = WdfRequestRetrieveInputBuffer(Request, 0, out inBuf, out bufSize);
                        if (!NT_SUCCESS(status)) { status = STATUS_INSUFFICIENT_RESOURCES; break; }
                        status = WdfRequestRetrieveOutputBuffer(Request, 0, out outBuf, out bufSize);
                        if (!NT_SUCCESS(status)) { status = STATUS_INSUFFICIENT_RESOURCES; break; }
                        RtlCopyMemory(outBuf, inBuf, Math.Min(InputBufferLength, OutputBufferLength));
                        {|DRV020:RtlCopyMemory(outBuf, inBuf, InputBufferLength)|};
                        WdfRequestSetInformation(Request, Math.Min(InputBufferLength, OutputBufferLength));
                        break;
                    default:
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
                }
                WdfRequestComplete(Request, status);
        """);

    /// <summary>
    /// ioctl/nonpnp: <c>bufSize = outBufLength &lt; datalen ? outBufLength : datalen;</c> then the copy. The CFG spills
    /// the assignment target into a flow capture; the minimum must still reach the local (was a false positive).
    /// </summary>
    [Fact]
    public Task ConditionalMinimumStoredInALocalBoundsTheCopy() => Verify.VerifyAnalyzerAsync("""
        class NonPnp
        {
            PVOID Data; nuint DataLength;

            void Copy(WDFREQUEST Request)
            {
                PVOID outBuf; nuint outBufLength, bufSize;
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 0, out outBuf, out outBufLength);
                if (!NT_SUCCESS(status)) return;
                bufSize = outBufLength < DataLength ? outBufLength : DataLength;
                RtlCopyMemory(outBuf, Data, bufSize);
                bufSize = DataLength > outBufLength ? outBufLength : DataLength;
                RtlCopyMemory(outBuf, Data, bufSize);
                bufSize = outBufLength > 4 ? outBufLength + 1 : 4;
                {|DRV020:RtlCopyMemory(outBuf, Data, bufSize)|};
            }
        }
        """);

    /// <summary>
    /// Issue 11, sizes through fields: a fixed-size buffer (<c>LOCAL_BUFFER</c>, C's <c>UCHAR Data[16]</c>) held in a
    /// readonly field of a device context, initialized with a constant size, bounds a copy in any method; a local one
    /// too. An <c>NT_ASSERT</c> the driver declares is a call, not a bound (nothing in a free build): the copy it was meant
    /// to guard is flagged (KbFiltr's connect-data copy).
    /// </summary>
    [Fact]
    public Task AFixedSizeBufferInAContextFieldBoundsCopies() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT
        {
            public readonly LOCAL_BUFFER {|#1:ConnectData|} = new(CONNECT_DATA_SIZE);
            public const int CONNECT_DATA_SIZE = 16;
        }

        class Driver
        {
            static DEVICE_CONTEXT GetContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            static void NT_ASSERT(bool condition) { }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var devExt = GetContext(WdfIoQueueGetDevice(Queue));
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, DEVICE_CONTEXT.CONNECT_DATA_SIZE, out var connectData, out var length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                NT_ASSERT(length == DEVICE_CONTEXT.CONNECT_DATA_SIZE);
                {|#0:RtlCopyMemory(devExt.ConnectData.Address, connectData, length)|};
                RtlCopyMemory(devExt.ConnectData.Address, connectData, DEVICE_CONTEXT.CONNECT_DATA_SIZE);
                if (length > devExt.ConnectData.Size) { WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }
                using var local = new LOCAL_BUFFER(8);
                RtlCopyMemory(local.Address, connectData, 8);
                {|DRV020:RtlCopyMemory(local.Address, connectData, 12)|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "length", "into", "devExt.ConnectData.Address", "16", "the field 'ConnectData', line 3"));

    /// <summary>
    /// Issue 11 (VHidMini2): a helper that copies out of its buffer parameter as many bytes as its length parameter says
    /// (<c>RequestCopyFromBuffer</c> → <c>WdfMemoryCopyFromBuffer</c>) is judged at each call as that copy: the report
    /// descriptor kept in the device context (a pointer member that only ever holds the address of a <c>LOCAL_BUFFER</c>
    /// field as long as a static array initialized with its bytes) copied with the callback's <c>OutputBufferLength</c>.
    /// </summary>
    [Fact]
    public Task AContextBufferCopiedOutByAHelperWithTheCallersLengthIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT
        {
            public static readonly byte[] DefaultDescriptor = { 0x06, 0x00, 0xFF, 0x09, 0x01, 0xC0 };
            public readonly LOCAL_BUFFER {|#1:DefaultReportDescriptor|} = new(DefaultDescriptor.Length);
            public PVOID ReportDescriptor;
        }

        class Driver
        {
            static DEVICE_CONTEXT GetContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            static void Prepare(DEVICE_CONTEXT context)
            {
                context.DefaultReportDescriptor.Address.CopyFrom(DEVICE_CONTEXT.DefaultDescriptor, 0);
                context.ReportDescriptor = context.DefaultReportDescriptor.Address;
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var context = GetContext(WdfIoQueueGetDevice(Queue));
                NTSTATUS status = {|#0:RequestCopyFromBuffer(Request, context.ReportDescriptor, OutputBufferLength)|};
                WdfRequestComplete(Request, status);
            }

            static NTSTATUS RequestCopyFromBuffer(WDFREQUEST Request, PVOID SourceBuffer, nuint NumBytesToCopyFrom)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WdfMemoryGetBuffer(memory, out var outputBufferLength);
                if (outputBufferLength < NumBytesToCopyFrom)
                {
                    return STATUS_INVALID_BUFFER_SIZE;
                }

                status = WdfMemoryCopyFromBuffer(memory, 0, SourceBuffer, NumBytesToCopyFrom);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WdfRequestSetInformation(Request, NumBytesToCopyFrom);
                return status;
            }
        }
        """,
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RequestCopyFromBuffer (through WdfMemoryCopyFromBuffer)", "OutputBufferLength", "out of", "context.ReportDescriptor", "6",
                "the field 'DefaultReportDescriptor', line 4"));

    /// <summary>
    /// The sample's calls of the same helper stay silent: the descriptor's own length (a constant, a <c>LOCAL_BUFFER</c>'s
    /// <c>Size</c>, a length the callback checked first), and a length read from the HID descriptor (a value the analysis
    /// does not follow through a helper). A helper that changes its length before copying copies something else.
    /// </summary>
    [Fact]
    public Task AHelpersCopiesWithinTheBufferAreSilent() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT
        {
            public static readonly byte[] DefaultDescriptor = { 0x06, 0x00, 0xFF, 0x09, 0x01, 0xC0 };
            public readonly LOCAL_BUFFER DefaultReportDescriptor = new(DefaultDescriptor.Length);
            public readonly LOCAL_BUFFER HidDescriptor = new(9);
            public PVOID ReportDescriptor;
        }

        class Driver
        {
            static DEVICE_CONTEXT GetContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            static void Prepare(DEVICE_CONTEXT context)
            {
                context.DefaultReportDescriptor.Address.CopyFrom(DEVICE_CONTEXT.DefaultDescriptor, 0);
                context.ReportDescriptor = context.DefaultReportDescriptor.Address;
                context.HidDescriptor.Address.Write<ushort>(7, (ushort)DEVICE_CONTEXT.DefaultDescriptor.Length);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var context = GetContext(WdfIoQueueGetDevice(Queue));
                NTSTATUS status = RequestCopyFromBuffer(Request, context.ReportDescriptor, context.HidDescriptor.Address.Read<ushort>(7));
                status = RequestCopyFromBuffer(Request, context.ReportDescriptor, (nuint)DEVICE_CONTEXT.DefaultDescriptor.Length);
                status = RequestCopyFromBuffer(Request, context.HidDescriptor.Address, context.HidDescriptor.Size);
                using var attributes = new LOCAL_BUFFER(32);
                status = RequestCopyFromBuffer(Request, attributes.Address, attributes.Size);
                if (OutputBufferLength <= 6)
                {
                    status = RequestCopyFromBuffer(Request, context.ReportDescriptor, OutputBufferLength);
                }

                status = Clamped(Request, context.ReportDescriptor, OutputBufferLength);
                WdfRequestComplete(Request, status);
            }

            static NTSTATUS RequestCopyFromBuffer(WDFREQUEST Request, PVOID SourceBuffer, nuint NumBytesToCopyFrom)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                return WdfMemoryCopyFromBuffer(memory, 0, SourceBuffer, NumBytesToCopyFrom);
            }

            static NTSTATUS Clamped(WDFREQUEST Request, PVOID SourceBuffer, nuint NumBytesToCopyFrom)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                NumBytesToCopyFrom = Math.Min(NumBytesToCopyFrom, 6);
                return WdfMemoryCopyFromBuffer(memory, 0, SourceBuffer, NumBytesToCopyFrom);
            }
        }
        """);

    /// <summary>
    /// Issue 11, a pool block kept in a field together with its size (OSR USB FX2's cached configuration descriptor,
    /// allocated and stored with its size in one method): a copy out of it with the caller's length is flagged in
    /// another method, a copy of the kept size is not.
    /// </summary>
    [Fact]
    public Task APoolBlockKeptInAFieldWithItsSizeBoundsCopiesInOtherMethods() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT
        {
            public PVOID ConfigurationDescriptor;
            public ushort {|#1:ConfigurationDescriptorSize|};
        }

        class Driver
        {
            const uint Tag = 0x32585346;

            static NTSTATUS ReadDescriptor(DEVICE_CONTEXT DevContext, ushort totalLength)
            {
                PVOID descriptor = ExAllocatePool2(POOL_FLAG_NON_PAGED, totalLength, Tag);
                if (descriptor == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                DevContext.ConfigurationDescriptor = descriptor;
                DevContext.ConfigurationDescriptorSize = totalLength;
                return STATUS_SUCCESS;
            }

            static void Release(DEVICE_CONTEXT DevContext)
            {
                ExFreePoolWithTag(DevContext.ConfigurationDescriptor, Tag);
                DevContext.ConfigurationDescriptor = NULL;
                DevContext.ConfigurationDescriptorSize = 0;
            }

            static NTSTATUS Retrieve(DEVICE_CONTEXT DevContext, PVOID ConfigDescriptor, ref ushort ConfigDescriptorLength)
            {
                if (ConfigDescriptor == NULL || ConfigDescriptorLength < DevContext.ConfigurationDescriptorSize)
                {
                    ConfigDescriptorLength = DevContext.ConfigurationDescriptorSize;
                    return STATUS_BUFFER_TOO_SMALL;
                }

                {|#0:RtlCopyMemory(ConfigDescriptor, DevContext.ConfigurationDescriptor, ConfigDescriptorLength)|};
                RtlCopyMemory(ConfigDescriptor, DevContext.ConfigurationDescriptor, DevContext.ConfigurationDescriptorSize);
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "ConfigDescriptorLength", "out of", "DevContext.ConfigurationDescriptor", "DevContext.ConfigurationDescriptorSize", "the size kept in 'ConfigurationDescriptorSize', line 4"));

    /// <summary>
    /// Issue 11 (bluetooth/serialhcibus HLP_CreatePacketEntry): a pool block and its length stored with an object
    /// initializer, <c>new HCI_PACKET_ENTRY { Packet = block, PacketLen = length }</c>; copying the length into the entry's
    /// packet is bounded by the block's size. A copy of another length into it is still flagged.
    /// </summary>
    [Fact]
    public Task APoolBlockStoredByAnObjectInitializerBoundsCopiesIntoIt() => Verify.VerifyAnalyzerAsync("""
        class HCI_PACKET_ENTRY
        {
            public PVOID Packet;
            public uint PacketLen;
        }

        class Driver
        {
            const uint Tag = 0x77627468;

            static HCI_PACKET_ENTRY? Create(uint length, PVOID source)
            {
                HCI_PACKET_ENTRY? entry = null;
                PVOID block = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, Tag);
                if (block != NULL)
                {
                    entry = new HCI_PACKET_ENTRY { Packet = block, PacketLen = length };
                    RtlCopyMemory(entry.Packet, source, length);
                    RtlCopyMemory(entry.Packet, source, entry.PacketLen);
                }

                return entry;
            }

            static HCI_PACKET_ENTRY? CreateDeclared(uint length, PVOID source, uint sourceLength)
            {
                PVOID block = {|#1:ExAllocatePool2(POOL_FLAG_NON_PAGED, length, Tag)|};
                if (block == NULL)
                {
                    return null;
                }

                var entry = new HCI_PACKET_ENTRY { Packet = block, PacketLen = length };
                RtlCopyMemory(entry.Packet, source, length);
                {|#0:RtlCopyMemory(entry.Packet, source, sourceLength)|};
                return entry;
            }
        }
        """,
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "sourceLength", "into", "entry.Packet", "length", "ExAllocatePool2, line 27"));

    /// <summary>
    /// Not paired: a pointer member that also holds a block of unknown size somewhere (the caller's), or whose size member
    /// is set by a method that does not store the pointer, tells nothing about its size.
    /// </summary>
    [Fact]
    public Task APoolBlockFieldWithoutAFaithfulSizeMemberIsNotJudged() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT
        {
            public PVOID Block;
            public ushort BlockSize;
            public PVOID Other;
            public ushort OtherSize;
        }

        class Driver
        {
            const uint Tag = 0x32585346;

            static void Keep(DEVICE_CONTEXT c, ushort n)
            {
                c.Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, n, Tag);
                c.BlockSize = n;
                PVOID other = ExAllocatePool2(POOL_FLAG_NON_PAGED, n, Tag);
                c.Other = other;
                c.OtherSize = n;
            }

            static void Adopt(DEVICE_CONTEXT c, PVOID callers) => c.Block = callers;

            static void Resize(DEVICE_CONTEXT c, ushort n) => c.OtherSize = n;

            static void Read(DEVICE_CONTEXT c, PVOID destination, ushort length)
            {
                RtlCopyMemory(destination, c.Block, length);
                RtlCopyMemory(destination, c.Other, length);
            }
        }
        """);

    /// <summary>
    /// Issue 11's case that must be caught: a multicast list copied from the request into the adapter's fixed-size list
    /// with the length the caller sent, where the only bound is an <c>ASSERT</c> (nothing in a free build). The same copy
    /// after a real check of the length is silent.
    /// </summary>
    [Fact]
    public Task AMulticastListCopiedWithTheCallersLengthBoundOnlyByAnAssertIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class ADAPTER_CONTEXT
        {
            public const int ETH_LENGTH_OF_ADDRESS = 6;
            public const int MAX_MULTICAST_ADDRESSES = 32;
            public readonly LOCAL_BUFFER {|#1:MulticastList|} = new(MAX_MULTICAST_ADDRESSES * ETH_LENGTH_OF_ADDRESS);
            public nuint MulticastListSize;
        }

        class Driver
        {
            static ADAPTER_CONTEXT GetAdapter(WDFOBJECT o) => WdfObjectGetTypedContext<ADAPTER_CONTEXT>(o);

            static void ASSERT(bool condition) { }

            static void SetMulticastList(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var adapter = GetAdapter(WdfIoQueueGetDevice(Queue));
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, ADAPTER_CONTEXT.ETH_LENGTH_OF_ADDRESS, out var list, out var length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                ASSERT(length <= ADAPTER_CONTEXT.MAX_MULTICAST_ADDRESSES * ADAPTER_CONTEXT.ETH_LENGTH_OF_ADDRESS);
                {|#0:RtlCopyMemory(adapter.MulticastList.Address, list, length)|};
                adapter.MulticastListSize = length;
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void SetMulticastListChecked(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var adapter = GetAdapter(WdfIoQueueGetDevice(Queue));
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, ADAPTER_CONTEXT.ETH_LENGTH_OF_ADDRESS, out var list, out var length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (length > ADAPTER_CONTEXT.MAX_MULTICAST_ADDRESSES * ADAPTER_CONTEXT.ETH_LENGTH_OF_ADDRESS)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_BUFFER_SIZE);
                    return;
                }

                RtlCopyMemory(adapter.MulticastList.Address, list, length);
                adapter.MulticastListSize = length;
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "length", "into", "adapter.MulticastList.Address", "192", "the field 'MulticastList', line 5"));

    /// <summary>
    /// Issue 11, a copy at a constant offset (UcmTcpciI2C's <c>I2CWriteAsynchronously</c>: the register address byte, then
    /// the data): a length checked against the buffer's size and not against the size past the offset is flagged, and so
    /// is a length checked against nothing; each check that accounts for the offset keeps the copy silent.
    /// </summary>
    [Fact]
    public Task ACopyAtAConstantOffsetOfALengthBoundedByTheWholeSizeIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT
        {
            public const uint I2C_BUFFER_SIZE = 50;
            public readonly LOCAL_BUFFER {|#1:I2CAsyncBuffer|} = new((int)I2C_BUFFER_SIZE);
        }

        class Driver
        {
            const uint REGISTER_ADDR_SIZE = 1;

            static NTSTATUS I2CWriteAsynchronously(DEVICE_CONTEXT DeviceContext, byte RegisterAddress, PVOID Data, uint Length)
            {
                if (Length == 0 || Length > DEVICE_CONTEXT.I2C_BUFFER_SIZE)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                DeviceContext.I2CAsyncBuffer.Address.Write<byte>(0, RegisterAddress);
                {|#0:RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE, Data, Length)|};
                return STATUS_SUCCESS;
            }

            static void CopyUnchecked(DEVICE_CONTEXT DeviceContext, PVOID Data, uint Length)
            {
                {|DRV020:RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE, Data, Length)|};
            }
        }
        """,
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "Length", "into", "DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE", "50", "the field 'I2CAsyncBuffer', line 4"));

    /// <summary>The shipped <c>I2CWriteAsynchronously</c>'s check (<c>REGISTER_ADDR_SIZE + Length &gt; I2C_BUFFER_SIZE</c>) and its other spellings.</summary>
    [Fact]
    public Task ACopyAtAConstantOffsetCheckedWithTheOffsetIsSilent() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT
        {
            public const uint I2C_BUFFER_SIZE = 50;
            public readonly LOCAL_BUFFER I2CAsyncBuffer = new((int)I2C_BUFFER_SIZE);
        }

        class Driver
        {
            const uint REGISTER_ADDR_SIZE = 1;

            static NTSTATUS Shipped(DEVICE_CONTEXT DeviceContext, PVOID Data, uint Length)
            {
                if (Length == 0 || REGISTER_ADDR_SIZE + Length > DEVICE_CONTEXT.I2C_BUFFER_SIZE)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE, Data, Length);
                return STATUS_SUCCESS;
            }

            static NTSTATUS SumOnTheRight(DEVICE_CONTEXT DeviceContext, PVOID Data, uint Length)
            {
                if (Length + REGISTER_ADDR_SIZE <= DEVICE_CONTEXT.I2C_BUFFER_SIZE)
                {
                    RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE, Data, Length);
                    return STATUS_SUCCESS;
                }

                return STATUS_INVALID_PARAMETER;
            }

            static NTSTATUS SizeMinusTheOffset(DEVICE_CONTEXT DeviceContext, PVOID Data, uint Length)
            {
                if (Length > DEVICE_CONTEXT.I2C_BUFFER_SIZE - REGISTER_ADDR_SIZE)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE, Data, Length);
                return STATUS_SUCCESS;
            }

            static NTSTATUS SumInALocal(DEVICE_CONTEXT DeviceContext, PVOID Data, uint Length)
            {
                uint total = REGISTER_ADDR_SIZE + Length;
                if (total > DEVICE_CONTEXT.I2C_BUFFER_SIZE)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + REGISTER_ADDR_SIZE, Data, Length);
                return STATUS_SUCCESS;
            }

            static NTSTATUS VariableSizeMinusTheOffset(PVOID Data, uint Length, uint Size)
            {
                var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, 0x6B6F6F4C);
                if (buffer == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                if (Length <= Size - REGISTER_ADDR_SIZE)
                {
                    RtlCopyMemory(buffer + REGISTER_ADDR_SIZE, Data, Length);
                }

                uint needed = Length + 4;
                if (needed <= Size)
                {
                    RtlCopyMemory(buffer + 4, Data, Length);
                }

                ExFreePoolWithTag(buffer, 0x6B6F6F4C);
                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>
    /// Issue 11, a request the driver takes from its own manual queue (bluetooth/serialhcibus <c>ReadRequestComplete</c>):
    /// its output memory holds <c>WdfMemoryGetBuffer</c>'s <c>out</c> size, as a queue callback's request holds its length,
    /// so a packet copied after the header with a length compared with nothing is flagged. The header written first is not
    /// judged by that size (the callback that queued the request checked it: DRV024's silent test).
    /// </summary>
    [Fact]
    public Task ACopyIntoTheMemoryOfARequestTakenFromAManualQueueIsFlagged() => Verify.VerifyAnalyzerAsync(TakenFromAManualQueue("""
                PVOID context = {|#1:WdfMemoryGetBuffer(memory, out nuint bufferSize)|};
                context.Write<uint>(0, PacketLength);
                {|#0:RtlCopyMemory(context + HCI_CONTEXT_DATA_OFFSET, Packet, PacketLength)|};
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 0);
                return STATUS_SUCCESS;
        """),
        Verify.Diagnostic("DRV020").WithLocation(0).WithLocation(1)
            .WithArguments("RtlCopyMemory", "PacketLength", "into", "context + HCI_CONTEXT_DATA_OFFSET", "bufferSize", "WdfMemoryGetBuffer, line 20"));

    /// <summary>The shipped sample's shape: the bytes to return (header and packet) compared with the memory's size first.</summary>
    [Fact]
    public Task ACopyIntoTheMemoryOfARequestTakenFromAManualQueueAfterACheckIsSilent() => Verify.VerifyAnalyzerAsync(TakenFromAManualQueue("""
                PVOID context = WdfMemoryGetBuffer(memory, out nuint bufferSize);
                nuint bytesToReturn = HCI_CONTEXT_DATA_OFFSET + PacketLength;
                context.Write<byte>(4, 2);
                context.Write<uint>(0, PacketLength);
                if (bytesToReturn <= bufferSize)
                {
                    RtlCopyMemory(context + HCI_CONTEXT_DATA_OFFSET, Packet, PacketLength);
                }
                else
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                    bytesToReturn = 0;
                }

                WdfRequestCompleteWithInformation(request, status, bytesToReturn);
                return status;
        """));

    /// <summary>bluetooth/serialhcibus' <c>ReadRequestComplete</c> up to the memory of the request it took from its queue, then <paramref name="body"/>.</summary>
    internal static string TakenFromAManualQueue(string body) => $$"""
        class Driver
        {
            const uint HCI_CONTEXT_DATA_OFFSET = 5;

            static NTSTATUS ReadRequestComplete(WDFQUEUE Queue, PVOID Packet, uint PacketLength)
            {
                NTSTATUS status = WdfIoQueueRetrieveNextRequest(Queue, out WDFREQUEST request);
                if (status != STATUS_SUCCESS)
                {
                    return status;
                }

                status = WdfRequestRetrieveOutputMemory(request, out WDFMEMORY memory);
                if (status != STATUS_SUCCESS)
                {
                    WdfRequestCompleteWithInformation(request, status, 0);
                    return status;
                }

        {{body}}
            }
        }
        """;
}
