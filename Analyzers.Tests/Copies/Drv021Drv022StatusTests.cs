using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Copies.StatusCheckAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Copies;

public class Drv021Drv022StatusTests
{
    private static Task Check(string body) => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap(body));

    [Fact]
    public Task ADroppedCopyStatusIsFlagged() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                {|#0:WdfMemoryCopyFromBuffer(memory, 0, local, 8)|};
                _ = {|DRV021:WdfMemoryCopyToBuffer(memory, 0, local, 8)|};
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """),
        Verify.Diagnostic("DRV021").WithLocation(0).WithArguments("WdfMemoryCopyFromBuffer", "dropped"));

    [Fact]
    public Task AStoredCopyStatusNeverTestedIsFlagged() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                status = {|#0:WdfMemoryCopyFromBuffer(memory, 0, local, 8)|};
                status = STATUS_SUCCESS;
                var copy = {|#1:WdfMemoryCopyToBuffer(memory, 0, local, 8)|};
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
        """),
        Verify.Diagnostic("DRV021").WithLocation(0).WithArguments("WdfMemoryCopyFromBuffer", "stored in 'status' and overwritten at line 12 before it is tested"),
        Verify.Diagnostic("DRV021").WithLocation(1).WithArguments("WdfMemoryCopyToBuffer", "stored in 'copy' and never tested"));

    [Fact]
    public Task TestedCopyStatusesAreSilent() => Check("""
                status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) goto End;
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                status = WdfMemoryCopyFromBuffer(memory, 0, local, 8);
                if (!NT_SUCCESS(status)) { ExFreePoolWithTag(local, 0x6B6F6F4C); goto End; }
                var second = WdfMemoryCopyToBuffer(memory, 0, local, 8);
                if (second != STATUS_SUCCESS) { status = second; }
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                status = WdfMemoryCopyFromBuffer(memory, 0, local, 8);
                End:
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task AnUncheckedRetrieveIsFlaggedOnceAtTheFirstUse() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = {|#1:WdfRequestRetrieveOutputBuffer(Request, 4, out var outBuf, out var outLen)|};
                {|#0:outBuf|}.Write<int>(0, 1);
                outBuf.Write<int>(0, 2);
                WdfRequestCompleteWithInformation(Request, status, 4);
        """),
        Verify.Diagnostic("DRV022").WithLocation(0).WithLocation(1).WithArguments("outBuf", "WdfRequestRetrieveOutputBuffer", "8"));

    [Fact]
    public Task EveryKindOfRetrieveIsTracked() => Check("""
                WdfRequestRetrieveInputMemory(Request, out var memory);
                var buffer = WdfMemoryGetBuffer({|DRV022:memory|}, out var size);
                status = WdfRequestRetrieveOutputWdmMdl(Request, out var mdl);
                if (IoControlCode == 7) { WdfRequestComplete(Request, status); return; }
                var address = MmGetSystemAddressForMdlSafe({|DRV022:mdl|}, NormalPagePriority | MdlMappingNoExecute);
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen);
                var alias = inBuf + 2;
                if (!NT_SUCCESS(status)) { }
                {|DRV022:alias|}.Write<short>(0, 1);
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task AnOverwrittenRetrieveStatusIsFlagged() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen);
                status = WdfRequestRetrieveOutputBuffer(Request, 4, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                outBuf.Write<int>(0, {|DRV022:inBuf|}.Read<int>(0));
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task CheckedRetrievesAreSilent() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                int value = inBuf.Read<int>(0);
                if (NT_SUCCESS(status = WdfRequestRetrieveOutputBuffer(Request, 4, out var outBuf, out var outLen)))
                {
                    outBuf.Write<int>(0, value);
                }
                if (!NT_SUCCESS(WdfRequestRetrieveOutputMemory(Request, out var memory)))
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                    return;
                }
                WdfMemoryGetBuffer(memory, NULL);
                status = WdfRequestRetrieveOutputWdmMdl(Request, out var mdl);
                if (status != STATUS_SUCCESS) goto End;
                MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                WdfRequestRetrieveInputWdmMdl(Request, out var inMdl);
                if (inMdl == NULL) goto End;
                MmGetMdlByteCount(inMdl);
                status = WdfRequestRetrieveInputMemory(Request, out var inMemory);
                if (NT_SUCCESS(status)) { status = WdfRequestRetrieveOutputBuffer(Request, 1, out var other, out _); }
                if (!NT_SUCCESS(status)) goto End;
                WdfMemoryGetBuffer(inMemory, NULL);
                End:
                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task TheReferenceArticlesForwardingSampleIsSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status;
                WDFMEMORY memory;
                WDFIOTARGET ioTarget;
                bool ret;
                ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                status = WdfRequestRetrieveOutputMemory(Request, out memory);
                if (!NT_SUCCESS(status)) {
                    goto End;
                }
                status = WdfIoTargetFormatRequestForRead(ioTarget, Request, memory, NULL, NULL);
                if (!NT_SUCCESS(status)) {
                    goto End;
                }
                WdfRequestSetCompletionRoutine(Request, RequestCompletionRoutine, WDF_NO_CONTEXT);
                ret = WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS);
                if (!ret) {
                    status = WdfRequestGetStatus(Request);
                    goto End;
                }
                return;
            End:
                WdfRequestComplete(Request, status);
                return;
            }

            static void RequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
            {
                WdfRequestComplete(Request, CompletionParams.IoStatus.Status);
            }
        }
        """);

    [Fact]
    public Task LambdasAndLocalFunctionsAreAnalyzed() => Check("""
                void Local()
                {
                    WdfRequestRetrieveOutputBuffer(Request, 4, out var buffer, out _);
                    {|DRV022:buffer|}.Write<int>(0, 1);
                }
                Action lambda = () =>
                {
                    var memory = default(WDFMEMORY);
                    var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                    var s = {|DRV021:WdfMemoryCopyFromBuffer(memory, 0, local, 8)|};
                };
                Local();
                lambda();
        """);

    [Fact]
    public Task CodeBeingTypedRaisesNoException() => new Verify.Test
    {
        TestCode = Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveOutputBuffer(Request, 4, out var outBuf
                outBuf.Write<int>(
                status = WdfMemoryCopyFromBuffer(, 0, outBuf,
                if (!NT_SUCCESS(status goto
        """),
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();

    [Fact]
    public Task AUseCapturedBeforeABranchIsNamedAsWritten() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                {|#1:WdfRequestRetrieveOutputMemory(Request, out var memory)|};
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE, out var created);
                status = WdfIoTargetFormatRequestForRead(WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue)), created, {|#0:memory|},
                    new WDFMEMORY_OFFSET { BufferOffset = 3, BufferLength = 2 }, NULL);
                WdfObjectDelete(created);
                WdfRequestComplete(Request, status);
        """),
        Verify.Diagnostic("DRV022").WithLocation(0).WithLocation(1).WithArguments("memory", "WdfRequestRetrieveOutputMemory", "8"));

    /// <summary>
    /// <c>status = WdfMemoryCopyFromBuffer(..., a &lt; b ? a : b)</c>: the CFG spills the assignment target into a
    /// flow capture; the status still lands in <c>status</c> and its test counts (was a false positive saying it was
    /// "stored in '(captured value)' and never tested").
    /// </summary>
    [Fact]
    public Task AStatusAssignedFromACallWithAConditionalArgumentIsTested() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            PVOID Data; nuint DataLength;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfMemoryCopyFromBuffer(memory, 0, Data, DataLength < Length ? DataLength : Length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfRequestCompleteWithInformation(Request, status, DataLength < Length ? DataLength : Length);
            }
        }
        """);

    /// <summary>
    /// Issue 11: an <c>out</c> variable that a helper overwrites (the helper retrieves the buffer itself, tests its
    /// status, and its own status is tested here) no longer carries the earlier, unchecked retrieve: C# requires a callee
    /// to write its <c>out</c> parameters. A variable the helper does not write keeps it.
    /// </summary>
    [Fact]
    public Task AnOutVariableAHelperOverwritesIsNotTheEarlierRetrieve() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS GetOutput(WDFREQUEST request, out PVOID buffer)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(request, 4, out buffer, out _);
                if (!NT_SUCCESS(status)) { buffer = NULL; }
                return status;
            }

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out var buffer, out var size);
                status = WdfRequestRetrieveInputBuffer(Request, 4, out var input, out var inputSize);
                status = GetOutput(Request, out buffer);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                buffer.Write<int>(0, 1);
                {|DRV022:input|}.Read<int>(0);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);
            }
        }
        """);

    /// <summary>VHidMini2's packet helpers: a buffer handed out in a member of an <c>out</c> structure, a handle handed out directly.</summary>
    private const string PacketHelpers = """
            public struct HID_XFER_PACKET
            {
                public PVOID reportBuffer;
                public uint reportBufferLen;
                public byte reportId;
            }

            static NTSTATUS GetPacket(WDFREQUEST Request, out HID_XFER_PACKET Packet)
            {
                NTSTATUS status;
                Packet = default;
                status = WdfRequestRetrieveOutputMemory(Request, out var outputMemory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WdfMemoryGetBuffer(outputMemory, out var outputBufferLength);
                Packet.reportId = (byte)outputBufferLength;
                status = WdfRequestRetrieveInputMemory(Request, out var inputMemory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                var inputBuffer = WdfMemoryGetBuffer(inputMemory, out var inputBufferLength);
                Packet.reportBuffer = inputBuffer;
                Packet.reportBufferLen = (uint)inputBufferLength;
                return status;
            }

            static NTSTATUS GetMemory(WDFREQUEST Request, out WDFMEMORY Memory)
            {
                Memory = NULL;
                NTSTATUS status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (NT_SUCCESS(status))
                {
                    Memory = memory;
                }

                return status;
            }
        """;

    /// <summary>
    /// Issue 11 (VHidMini2's WriteReport): a helper hands out, in a member of its <c>out</c> structure, the buffer it
    /// retrieved, and returns the retrieve's failure; a caller that reads the buffer without testing the helper's status
    /// reads NULL when the retrieve failed. The same for a handle handed out directly.
    /// </summary>
    [Fact]
    public Task ABufferAHelperRetrievedUsedWithoutTestingItsStatusIsFlagged() => Verify.VerifyAnalyzerAsync($$"""
        class Driver
        {
            static byte DeviceData;

            static NTSTATUS WriteReport(WDFREQUEST Request)
            {
                NTSTATUS status = {|#1:GetPacket(Request, out var packet)|};
                if (packet.reportId != 1)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                PVOID outputReport = packet.reportBuffer;
                DeviceData = {|#0:outputReport|}.Read<byte>(1);
                return status;
            }

            static NTSTATUS Copy(WDFREQUEST Request, PVOID destination)
            {
                NTSTATUS status = GetMemory(Request, out var memory);
                return WdfMemoryCopyToBuffer({|DRV022:memory|}, 0, destination, 4);
            }

            {{PacketHelpers}}
        }
        """,
        Verify.Diagnostic("DRV022").WithLocation(0).WithLocation(1).WithArguments("outputReport", "GetPacket", "7"));

    /// <summary>
    /// The sample's callers test the helper's status first (and use what the helper computed without a retrieve freely);
    /// a helper that also hands out something it did not retrieve is not such a helper.
    /// </summary>
    [Fact]
    public Task ABufferAHelperRetrievedUsedAfterTestingItsStatusIsSilent() => Verify.VerifyAnalyzerAsync($$"""
        class Driver
        {
            static byte DeviceData;
            static PVOID Spare;

            static NTSTATUS WriteReport(WDFREQUEST Request)
            {
                NTSTATUS status = GetPacket(Request, out var packet);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                PVOID outputReport = packet.reportBuffer;
                DeviceData = outputReport.Read<byte>(1);
                return status;
            }

            static NTSTATUS Copy(WDFREQUEST Request, PVOID destination)
            {
                NTSTATUS status = GetMemory(Request, out var memory);
                if (status != STATUS_SUCCESS)
                {
                    return status;
                }

                return WdfMemoryCopyToBuffer(memory, 0, destination, 4);
            }

            static NTSTATUS Either(WDFREQUEST Request, out PVOID Buffer)
            {
                Buffer = Spare;
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var buffer, NULL);
                if (NT_SUCCESS(status))
                {
                    Buffer = buffer;
                }

                return status;
            }

            static void UseEither(WDFREQUEST Request)
            {
                NTSTATUS status = Either(Request, out var buffer);
                DeviceData = buffer.Read<byte>(0);
            }

            {{PacketHelpers}}
        }
        """);
}
