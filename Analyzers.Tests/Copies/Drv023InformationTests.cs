using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Copies.CopyBoundsAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Copies;

public class Drv023InformationTests
{
    private static Task Check(string body) => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap(body));

    [Fact]
    public Task ReportingTheInputLengthForTheOutputBufferIsFlagged() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.Wrap("""
                status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = {|#1:WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                RtlCopyMemory(outBuf, inBuf, Math.Min(inLen, outLen));
                {|#0:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, inLen)|};
        """),
        Verify.Diagnostic("DRV023").WithLocation(0).WithLocation(1)
            .WithArguments("inLen", "Request", "outLen", "WdfRequestRetrieveOutputBuffer, line 10", "WdfRequestCompleteWithInformation"));

    [Fact]
    public Task AConstantBeyondTheMinimumIsFlagged() => Check("""
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, NULL);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                outBuf.Write<int>(0, 42);
                {|DRV023:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(long))|};
        """);

    [Fact]
    public Task AConstantWithoutACheckOfTheCallbackLengthIsFlagged() => Check("""
                {|DRV023:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 8)|};
        """);

    [Fact]
    public Task BoundedInformationIsSilent() => Check("""
                status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(long), out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                nuint copied = Math.Min(inLen, outLen);
                RtlCopyMemory(outBuf, inBuf, copied);
                if (IoControlCode == 1) { WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, copied); return; }
                if (IoControlCode == 2) { WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(long)); return; }
                if (IoControlCode == 3) { WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, outLen); return; }
                if (IoControlCode == 4) { WdfRequestCompleteWithInformation(Request, STATUS_BUFFER_OVERFLOW, 4096); return; }
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, OutputBufferLength);
        """);

    /// <summary>
    /// Issue 11 (bluetooth/serialhcibus FdoIoQuDeviceControl): the output memory is retrieved only when the output length is
    /// not zero, and its size read only when the retrieve succeeded; the size stays 0 on the other paths. A constant
    /// information checked against that size is within the output buffer on every path (0 is at most any size).
    /// Information beyond the checked size is still flagged.
    /// </summary>
    [Fact]
    public Task AConstantCheckedAgainstAMemorySizeLeftZeroWhereNothingWasRetrievedIsSilent() => Check("""
                WDFMEMORY outMemory = default;
                PVOID outBuffer = NULL;
                nuint outBufferSize = 0;
                status = STATUS_SUCCESS;
                if (OutputBufferLength != 0)
                {
                    status = WdfRequestRetrieveOutputMemory(Request, out outMemory);
                    if (NT_SUCCESS(status))
                    {
                        outBuffer = WdfMemoryGetBuffer(outMemory, out outBufferSize);
                    }
                }

                if (IoControlCode == 1)
                {
                    if (outBuffer != NULL && outBufferSize >= 4)
                    {
                        outBuffer.Write<uint>(0, 0x0101);
                        WdfRequestCompleteWithInformation(Request, status, 4);
                        return;
                    }

                    status = STATUS_INVALID_PARAMETER;
                }

                if (IoControlCode == 2 && outBuffer != NULL && outBufferSize >= 4)
                {
                    {|DRV023:WdfRequestCompleteWithInformation(Request, status, 8)|};
                    return;
                }

                WdfRequestComplete(Request, status);
        """);

    [Fact]
    public Task ReadAndWriteCallbacksReportTheirLength() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveInputBuffer(Request, 4, out var buffer, out var length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (length == 4) { WdfRequestCompleteWithInformation(Request, status, length); return; }
                if (length == 5) { WdfRequestCompleteWithInformation(Request, status, 4); return; }
                WdfRequestCompleteWithInformation(Request, status, Length);
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 1, out var buffer, out var length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                {|DRV023:WdfRequestCompleteWithInformation(Request, status, 2)|};
            }
        }
        """);

    [Fact]
    public Task InformationOfUnknownProvenanceIsNotJudged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forwarded(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WdfRequestCompleteWithInformation(Request, Params.IoStatus.Status, Params.IoStatus.Information);
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                nuint transferred = Transfer();
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, transferred);
            }

            static nuint Transfer() => 0;
        }
        """);

    /// <summary>
    /// RULES.md: rules follow helpers. An echo-style completion helper that hands its parameters to
    /// WdfRequestCompleteWithInformation is judged at its call (was a false negative); a helper that computes its
    /// own information, or completes with a fixed status, is not judged.
    /// </summary>
    [Fact]
    public Task ACompletionHelperIsJudgedAtItsCall() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out var buffer, NULL);
                if (!NT_SUCCESS(status)) { CompleteRequest(Request, status, 0); return; }
                buffer.Write<uint>(0, 7);
                if (IoControlCode == 1) { {|#0:CompleteRequest(Request, STATUS_SUCCESS, sizeof(ulong))|}; return; }
                if (IoControlCode == 2) { {|DRV023:CompleteChecked(Request, STATUS_SUCCESS, sizeof(ulong))|}; return; }
                if (IoControlCode == 3) { CompleteRequest(Request, STATUS_BUFFER_OVERFLOW, sizeof(ulong)); return; }
                if (IoControlCode == 4) { CompleteDoubled(Request, STATUS_SUCCESS, sizeof(uint)); return; }
                CompleteRequest(Request, STATUS_SUCCESS, sizeof(uint));
            }

            static void CompleteRequest(WDFREQUEST Request, NTSTATUS Status, nuint Information) =>
                WdfRequestCompleteWithInformation(Request, Status, Information);

            static void CompleteChecked(WDFREQUEST Request, NTSTATUS Status, nuint Information)
            {
                WdfRequestCompleteWithInformation(Request, Status, NT_SUCCESS(Status) ? Information : 0);
            }

            static void CompleteDoubled(WDFREQUEST Request, NTSTATUS Status, nuint Information)
            {
                WdfRequestCompleteWithInformation(Request, Status, Information / 2);
            }
        }
        """,
        Verify.Diagnostic("DRV023").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments("sizeof(ulong)", "Request", "OutputBufferLength", "WdfRequestRetrieveOutputBuffer, line 5", "CompleteRequest (through WdfRequestCompleteWithInformation)"));

    /// <summary>
    /// Issue 11 (KbFiltr): the information is a local given a constant on one switch case and 0 on the others, so it is no
    /// constant where the request is completed; the constant is judged where it was stored, where the callback's output
    /// length was never compared with it (only min(OutputBufferLength, 24) bytes were copied).
    /// </summary>
    [Fact]
    public Task AConstantStoredOnOnePathBeyondAnUncheckedBufferIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const int KEYBOARD_ATTRIBUTES_SIZE = 24;
            static readonly LOCAL_BUFFER Attributes = new(KEYBOARD_ATTRIBUTES_SIZE);

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint {|#1:OutputBufferLength|}, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                nuint bytesTransferred = 0;
                switch (IoControlCode)
                {
                    case 1:
                        status = WdfRequestRetrieveOutputMemory(Request, out var outputMemory);
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        status = WdfMemoryCopyFromBuffer(outputMemory, 0, Attributes.Address,
                            OutputBufferLength < KEYBOARD_ATTRIBUTES_SIZE ? OutputBufferLength : KEYBOARD_ATTRIBUTES_SIZE);
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        bytesTransferred = KEYBOARD_ATTRIBUTES_SIZE;
                        break;

                    default:
                        status = STATUS_NOT_IMPLEMENTED;
                        break;
                }

                {|#0:WdfRequestCompleteWithInformation(Request, status, bytesTransferred)|};
            }
        }
        """,
        Verify.Diagnostic("DRV023").WithLocation(0).WithLocation(1)
            .WithArguments("bytesTransferred", "Request", "OutputBufferLength", "the queue callback's 'OutputBufferLength', line 6", "WdfRequestCompleteWithInformation"));

    /// <summary>
    /// The correct shapes stay silent: the length checked before the constant is stored (KbFiltr as shipped); a required
    /// size stored before the test that fails the request (<c>STATUS_BUFFER_TOO_SMALL</c>); a size stored before a
    /// retrieve whose failure fails the request.
    /// </summary>
    [Fact]
    public Task AConstantStoredAfterACheckOrBeforeATestIsSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const int SIZE = 24;
            static readonly LOCAL_BUFFER Attributes = new(SIZE);

            static void CheckedFirst(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                nuint bytesTransferred = 0;
                switch (IoControlCode)
                {
                    case 1:
                        if (OutputBufferLength < SIZE)
                        {
                            status = STATUS_BUFFER_TOO_SMALL;
                            break;
                        }

                        status = WdfRequestRetrieveOutputMemory(Request, out var outputMemory);
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        status = WdfMemoryCopyFromBuffer(outputMemory, 0, Attributes.Address, SIZE);
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        bytesTransferred = SIZE;
                        break;

                    default:
                        status = STATUS_NOT_IMPLEMENTED;
                        break;
                }

                WdfRequestCompleteWithInformation(Request, status, bytesTransferred);
            }

            static void RequiredSizeFirst(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                nuint information = 0;
                if (IoControlCode == 1)
                {
                    information = SIZE;
                    if (OutputBufferLength < SIZE)
                    {
                        status = STATUS_BUFFER_TOO_SMALL;
                    }
                    else
                    {
                        status = WdfRequestRetrieveOutputMemory(Request, out var outputMemory);
                        if (NT_SUCCESS(status))
                        {
                            status = WdfMemoryCopyFromBuffer(outputMemory, 0, Attributes.Address, SIZE);
                        }
                    }
                }

                WdfRequestCompleteWithInformation(Request, status, information);
            }

            static void RetrieveAfter(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                nuint information = 0;
                if (IoControlCode == 1)
                {
                    information = SIZE;
                    status = WdfRequestRetrieveOutputBuffer(Request, SIZE, out var buffer, NULL);
                    if (NT_SUCCESS(status))
                    {
                        buffer.Write<int>(0, 1);
                    }
                }

                WdfRequestCompleteWithInformation(Request, status, information);
            }
        }
        """);

    /// <summary>
    /// Issue 11 (NONPNP): the information is a local given, on one switch case, a field the driver has just used as the
    /// length of a copy into the output buffer (the device string's length), 0 on the others; where it was stored, the
    /// output buffer was never compared with it.
    /// </summary>
    [Fact]
    public Task ACopysLengthReadFromAFieldAndStoredOnOnePathIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class Device
        {
            public PVOID Data;
            public nuint DataLength;

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                nuint information = 0;
                switch (IoControlCode)
                {
                    case 1:
                        status = {|#1:WdfRequestRetrieveOutputBuffer(Request, 0, out var outBuf, out var outBufLength)|};
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        RtlCopyMemory(outBuf, Data, DataLength);
                        information = DataLength;
                        break;

                    case 2:
                        if (OutputBufferLength == 0)
                        {
                            status = STATUS_BUFFER_TOO_SMALL;
                            break;
                        }

                        information = 0;
                        break;

                    default:
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
                }

                {|#0:WdfRequestCompleteWithInformation(Request, status, information)|};
            }
        }
        """,
        Verify.Diagnostic("DRV020").WithSpan(19, 17, 19, 56).WithSpan(13, 26, 13, 106)
            .WithArguments("RtlCopyMemory", "DataLength", "into", "outBuf", "outBufLength", "WdfRequestRetrieveOutputBuffer, line 13"),
        Verify.Diagnostic("DRV023").WithLocation(0).WithLocation(1)
            .WithArguments("information", "Request", "outBufLength", "WdfRequestRetrieveOutputBuffer, line 13", "WdfRequestCompleteWithInformation"));

    /// <summary>
    /// The NONPNP sample's shape stays silent: the copy's length bounded by the output buffer first
    /// (<c>bufSize = min(outBufLength, DataLength)</c>); and a field stored as information that no copy used as a length
    /// (a count the driver keeps, not a length of data) is not judged.
    /// </summary>
    [Fact]
    public Task ABoundedCopysLengthOrAFieldNoCopyUsedIsSilent() => Verify.VerifyAnalyzerAsync("""
        class Device
        {
            public PVOID Data;
            public nuint DataLength;
            public nuint RecordCount;

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = STATUS_SUCCESS;
                nuint information = 0;
                switch (IoControlCode)
                {
                    case 1:
                        status = WdfRequestRetrieveOutputBuffer(Request, 0, out var outBuf, out var outBufLength);
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        nuint bufSize = outBufLength < DataLength ? outBufLength : DataLength;
                        RtlCopyMemory(outBuf, Data, bufSize);
                        information = bufSize;
                        break;

                    case 2:
                        status = WdfRequestRetrieveOutputBuffer(Request, 0, out var countBuf, out var countLength);
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        information = RecordCount;
                        break;

                    default:
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
                }

                WdfRequestCompleteWithInformation(Request, status, information);
            }
        }
        """);

    /// <summary>
    /// Issue 11 (PreallocatedConfigBlock): an IOCTL sent down as a write and completed by its completion routine with
    /// <c>WdfRequestComplete</c> keeps the lower driver's byte count of the write as the IOCTL's information.
    /// </summary>
    [Fact]
    public Task AnIoctlSentAsAWriteCompletedKeepingTheLowerInformationIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static WDFIOTARGET Target;
            static WDFMEMORY BlockMemory;

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = {|#1:WdfIoTargetFormatRequestForWrite(Target, Request, BlockMemory, null, null)|};
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                WdfRequestSetCompletionRoutine(Request, PushCompletion, WDF_NO_CONTEXT);
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            static void PushCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                {|#0:WdfRequestComplete(Request, Params.IoStatus.Status)|};
            }
        }
        """,
        Verify.Diagnostic("DRV023").WithLocation(0).WithLocation(1)
            .WithArguments("the lower driver's write byte count", "Request", "OutputBufferLength",
                "an IOCTL sent down as a write by WdfIoTargetFormatRequestForWrite, line 8", "WdfRequestComplete (keeping the lower driver's information)"));

    /// <summary>
    /// Silent: the sample's routine completes the IOCTL with no information; a write sent down as a write keeps a write's
    /// byte count, which is its information; an IOCTL sent down as an IOCTL keeps the lower driver's output count.
    /// </summary>
    [Fact]
    public Task ForwardedRequestsCompletedWithTheirOwnInformationAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static WDFIOTARGET Target;
            static WDFMEMORY BlockMemory;

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfIoTargetFormatRequestForWrite(Target, Request, BlockMemory, null, null);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                WdfRequestSetCompletionRoutine(Request, NoInformation, WDF_NO_CONTEXT);
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            static void NoInformation(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WdfRequestCompleteWithInformation(Request, Params.IoStatus.Status, 0);
            }

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (NT_SUCCESS(status))
                {
                    status = WdfIoTargetFormatRequestForWrite(Target, Request, memory, null, null);
                }

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                WdfRequestSetCompletionRoutine(Request, KeepInformation, WDF_NO_CONTEXT);
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            static void KeepInformation(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WdfRequestComplete(Request, Params.IoStatus.Status);
            }

            static void ForwardIoctl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var output);
                if (NT_SUCCESS(status))
                {
                    status = WdfIoTargetFormatRequestForIoctl(Target, Request, IoControlCode, NULL, null, output, null);
                }

                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                WdfRequestSetCompletionRoutine(Request, IoctlCompletion, WDF_NO_CONTEXT);
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            static void IoctlCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WdfRequestComplete(Request, Params.IoStatus.Status);
            }
        }
        """);

    /// <summary>
    /// Issue 11, a request the driver takes from its own manual queue (bluetooth/serialhcibus <c>ReadRequestComplete</c>):
    /// its output buffer holds its memory's <c>WdfMemoryGetBuffer</c> size, and the information it is completed with counts
    /// the header and the packet copied after it (<c>HCI_CONTEXT_DATA_OFFSET + PacketLength</c>), a length nothing compared
    /// with that size. The shipped check is DRV020's silent test (<c>bytesToReturn &lt;= bufferSize</c>, else 0).
    /// </summary>
    [Fact]
    public Task TheBytesCopiedIntoTheMemoryOfARequestTakenFromAManualQueueAreFlagged() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.TakenFromAManualQueue("""
                PVOID context = {|#1:WdfMemoryGetBuffer(memory, out nuint bufferSize)|};
                nuint bytesToReturn = HCI_CONTEXT_DATA_OFFSET + PacketLength;
                context.Write<uint>(0, PacketLength);
                {|DRV020:RtlCopyMemory(context + HCI_CONTEXT_DATA_OFFSET, Packet, PacketLength)|};
                {|#0:WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, bytesToReturn)|};
                return STATUS_SUCCESS;
        """),
        Verify.Diagnostic("DRV023").WithLocation(0).WithLocation(1)
            .WithArguments("bytesToReturn", "request", "bufferSize", "WdfMemoryGetBuffer, line 20", "WdfRequestCompleteWithInformation"));

    /// <summary>A count the function did not copy (a constant, or a number it copied nothing with) is not judged by that size.</summary>
    [Fact]
    public Task OtherCountsOfARequestTakenFromAManualQueueAreSilent() => Verify.VerifyAnalyzerAsync(Drv020UnboundedCopyTests.TakenFromAManualQueue("""
                PVOID context = WdfMemoryGetBuffer(memory, out nuint bufferSize);
                context.Write<uint>(0, PacketLength);
                if (PacketLength == 0)
                {
                    WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 8);
                    return STATUS_SUCCESS;
                }

                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, PacketLength);
                return STATUS_SUCCESS;
        """));

    /// <summary>
    /// The bytes of a copy known to fit its destination are within the buffer: an MDL's byte count is its request's length
    /// (the analysis does not know it is the callback's <c>Length</c>), so completing with it is silent; the copy out of the
    /// smaller staging block is DRV020's.
    /// </summary>
    [Fact]
    public Task TheBytesOfACopyThatFitsAnMdlOfTheRequestAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputWdmMdl(Request, out PMDL mdl);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                uint totalLength = MmGetMdlByteCount(mdl);
                PVOID systemAddress = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                PVOID staging = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x67617453);
                if (systemAddress == NULL || staging == NULL)
                {
                    WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
                    return;
                }

                {|DRV020:RtlCopyMemory(systemAddress, staging, totalLength)|};
                ExFreePoolWithTag(staging, 0x67617453);
                WdfRequestCompleteWithInformation(Request, status, totalLength);
            }
        }
        """);


    /// <summary>
    /// Issue 11 (hid/hidusbfx2 <c>HidFx2CompleteReadReport</c>, its bug): the oldest read taken off the manual queue, its
    /// output buffer retrieved with a minimum of one byte (its length into <c>bytesReturned</c>), two bytes written and the
    /// request completed with <c>bytesReturned = bytesToCopy</c> (a local that holds 2) on two of three paths and the
    /// retrieved length on the third. The information is no constant where the request is completed; the local's constant
    /// is judged where each store was made, where the buffer is known to hold 1 byte.
    /// </summary>
    [Fact]
    public Task ALocalHoldingAConstantStoredOnSomePathsBeyondTheMinimumRetrievedIsFlagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const uint INPUT_REPORT_BYTES = 1;
            const uint SIZEOF_INPUT_REPORT = 2;

            static void CompleteReadReport(WDFQUEUE Queue, byte toggledSwitch)
            {
                nuint bytesReturned = 0;
                uint bytesToCopy = 0;
                NTSTATUS status = WdfIoQueueRetrieveNextRequest(Queue, out WDFREQUEST request);
                if (NT_SUCCESS(status))
                {
                    bytesToCopy = SIZEOF_INPUT_REPORT;
                    status = WdfRequestRetrieveOutputBuffer(request, INPUT_REPORT_BYTES, out PVOID inputReport, out bytesReturned);
                    if (!NT_SUCCESS(status))
                    {
                    }
                    else
                    {
                        if ((toggledSwitch & 0x1) != 0)
                        {
                            inputReport.Write<byte>(0, 1);
                            bytesReturned = bytesToCopy;
                        }
                        else if ((toggledSwitch & 0x2) != 0)
                        {
                            inputReport.Write<byte>(0, 2);
                            bytesReturned = bytesToCopy;
                        }
                        else
                        {
                        }
                    }

                    {|DRV023:WdfRequestCompleteWithInformation(request, status, bytesReturned)|};
                }
            }
        }
        """);

    /// <summary>
    /// The shipped sample retrieves the buffer with a minimum of <c>bytesToCopy</c> (2), so the 2 it stores fits; a local
    /// holding a constant stored before a test that may fail the request (a required size) is not judged either.
    /// </summary>
    [Fact]
    public Task ALocalHoldingAConstantWithinTheMinimumRetrievedOrBeforeATestIsSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const uint SIZEOF_INPUT_REPORT = 2;

            static void CompleteReadReport(WDFQUEUE Queue, byte toggledSwitch)
            {
                nuint bytesReturned = 0;
                uint bytesToCopy = 0;
                NTSTATUS status = WdfIoQueueRetrieveNextRequest(Queue, out WDFREQUEST request);
                if (NT_SUCCESS(status))
                {
                    bytesToCopy = SIZEOF_INPUT_REPORT;
                    status = WdfRequestRetrieveOutputBuffer(request, bytesToCopy, out PVOID inputReport, out bytesReturned);
                    if (!NT_SUCCESS(status))
                    {
                    }
                    else
                    {
                        if ((toggledSwitch & 0x1) != 0)
                        {
                            inputReport.Write<byte>(0, 1);
                            inputReport.Write<byte>(1, toggledSwitch);
                            bytesReturned = bytesToCopy;
                        }
                        else
                        {
                        }
                    }

                    WdfRequestCompleteWithInformation(request, status, bytesReturned);
                }
            }

            static void RequiredSize(WDFQUEUE Queue)
            {
                nuint information = 0;
                uint required = 16;
                NTSTATUS status = WdfIoQueueRetrieveNextRequest(Queue, out WDFREQUEST request);
                if (!NT_SUCCESS(status))
                {
                    return;
                }

                status = WdfRequestRetrieveOutputBuffer(request, 1, out PVOID buffer, out nuint length);
                if (NT_SUCCESS(status))
                {
                    information = required;
                    if (length < required)
                    {
                        status = STATUS_BUFFER_TOO_SMALL;
                    }
                    else
                    {
                        buffer.Write<byte>(0, 1);
                    }
                }

                WdfRequestCompleteWithInformation(request, status, information);
            }
        }
        """);

    private static string ClampedDescriptor(string copyAndCompletion) => $$"""
        class Driver
        {
            static PVOID Descriptor;

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
                uint needed = Descriptor.Read<ushort>(2);
                status = WdfRequestRetrieveOutputBuffer(Request, 9, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
        {{copyAndCompletion}}
            }
        }
        """;

    /// <summary>
    /// usb/usbsamp (session 11's UsbSampBuggy): the descriptor is copied clamped to the output buffer, and the request is
    /// completed with success and the descriptor's whole length, which the I/O manager would copy back past the buffer.
    /// The information is the unclamped side of the copy's smaller-of length: a count of the data's bytes, flagged.
    /// </summary>
    [Fact]
    public Task TheNumberACopyIntoTheBufferWasClampedFromIsFlagged() => Verify.VerifyAnalyzerAsync(ClampedDescriptor("""
                RtlCopyMemory(outBuf, Descriptor, outLen < needed ? outLen : needed);
                {|DRV023:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, needed)|};
        """));

    [Fact]
    public Task TheNumberAClampedCopyWasClampedFromIsFlaggedInEitherOrder() => Verify.VerifyAnalyzerAsync(ClampedDescriptor("""
                RtlCopyMemory(outBuf, Descriptor, needed <= outLen ? needed : outLen);
                {|DRV023:WdfRequestCompleteWithInformation(Request, status, needed)|};
        """));

    /// <summary>The same after a switch whose other cases retrieved nothing (usb/usbsamp's IOCTL callback): the copy is
    /// matched to the request's buffer with the sizes known at the copy.</summary>
    [Fact]
    public Task TheNumberAClampedCopyWasClampedFromIsFlaggedAfterASwitch() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static PVOID Descriptor;

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
                uint length = 0;
                switch (IoControlCode)
                {
                    case 1:
                        length = Descriptor.Read<ushort>(2);
                        status = WdfRequestRetrieveOutputBuffer(Request, 9, out var ioBuffer, out var bufLength);
                        if (!NT_SUCCESS(status))
                        {
                            break;
                        }

                        RtlCopyMemory(ioBuffer, Descriptor, bufLength < length ? bufLength : length);
                        break;
                    default:
                        status = STATUS_INVALID_DEVICE_REQUEST;
                        break;
                }

                {|DRV023:WdfRequestCompleteWithInformation(Request, status, length)|};
            }
        }
        """);

    /// <summary>The clamped count itself, a required size with a failure status, or a number the copy was not clamped
    /// from: silent.</summary>
    [Fact]
    public Task TheClampedCountAFailureStatusOrAnotherNumberIsSilent() => Verify.VerifyAnalyzerAsync(ClampedDescriptor("""
                nuint copied = outLen < needed ? outLen : needed;
                RtlCopyMemory(outBuf, Descriptor, outLen < needed ? outLen : needed);
                if (IoControlCode == 1) { WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, copied); return; }
                if (IoControlCode == 2) { WdfRequestCompleteWithInformation(Request, STATUS_BUFFER_OVERFLOW, needed); return; }
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, outLen);
        """));
}
