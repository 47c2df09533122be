using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.MemoryOwnershipAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>
/// DRV040 over a LOCAL_BUFFER (stack storage dies at the end of its scope while the request may be pending), sends done
/// by a helper, and frees done by helpers of helpers (followed <c>driverbuffers.helper_depth</c> levels, default 3).
/// </summary>
public class Drv040StackBufferAndHelperTests
{
    [Fact]
    public Task FlagsStackBufferSentAsynchronously() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Push(WDFIOTARGET target, WDFREQUEST request)
            {
                using var block = new LOCAL_BUFFER(64);
                PVOID data = block.Address;
                NTSTATUS status = {|#3:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, data, 64, out WDFMEMORY memory)|};
                if (!NT_SUCCESS(status)) { return; }
                status = {|#2:WdfIoTargetFormatRequestForWrite(target, request, memory, null, null)|};
                if (!NT_SUCCESS(status)) { return; }
                {|#0:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|};
            {|#1:}|}
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3)
            .WithArguments("request", 9, "memory", 7, "block", 12));

    [Fact]
    public Task FlagsStackBufferSentByAHelperThroughContextPaths() => Verify.VerifyAnalyzerAsync("""
        class Context { public WDFMEMORY InputMemory; public WDFREQUEST SpbRequest; public WDFIOTARGET Target; }

        class Driver
        {
            static void SendSequence(Context device)
            {
                using var sequence = new LOCAL_BUFFER(32);
                PVOID seq = sequence.Address;
                NTSTATUS status = {|#3:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, seq, 32, out device.InputMemory)|};
                if (!NT_SUCCESS(status)) { goto Done; }
                status = {|#2:WdfIoTargetFormatRequestForIoctl(device.Target, device.SpbRequest, 0x222003, device.InputMemory, null, WDF_NO_HANDLE, null)|};
                if (!NT_SUCCESS(status)) { goto Done; }
                status = {|#0:SendRequest(device, device.SpbRequest)|};
            Done:
                return;
            {|#1:}|}

            static NTSTATUS SendRequest(Context device, WDFREQUEST request)
            {
                NTSTATUS status = STATUS_SUCCESS;
                if (NT_SUCCESS(status))
                {
                    if (!{|#4:WdfRequestSend(request, device.Target, WDF_NO_SEND_OPTIONS)|})
                    {
                        status = WdfRequestGetStatus(request);
                    }
                }

                return status;
            }
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4)
            .WithArguments("device.SpbRequest", 11, "device.InputMemory", 9, "sequence", 16));

    [Fact]
    public Task SilentWhenTheStackBufferIsSentSynchronouslyOrByAHelperThatWaits() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Push(WDFIOTARGET target, WDFREQUEST request)
            {
                using var block = new LOCAL_BUFFER(64);
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, block.Address, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfRequestSend(request, target, options);
                SendAndWait(target, request);
            }

            static void SendAndWait(WDFIOTARGET target, WDFREQUEST request)
            {
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfRequestSend(request, target, options);
            }
        }
        """);

    [Fact]
    public Task SilentWhenThePoolBufferOutlivesTheFunction() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static PVOID Block;

            static void Push(WDFIOTARGET target, WDFREQUEST request)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, Block, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    private const string FreedTwoHelpersDown = """
        class Driver
        {
            const uint Tag = 0x64657246;

            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                Release(buffer);
            }

            static void Release(PVOID block) => ReleaseNow(block);

            static void ReleaseNow(PVOID block) => ExFreePoolWithTag(block, Tag);
        }
        """;

    [Fact]
    public Task FlagsAFreeTwoHelpersDownAtTheDefaultDepth() => Verify.VerifyAnalyzerAsync(
        FreedTwoHelpersDown.Replace("WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);", "{|DRV040:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|};"));

    [Fact]
    public Task SilentForAFreeTwoHelpersDownWithHelperDepthOne() => new Verify.Test
    {
        TestCode = FreedTwoHelpersDown,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = 1\n") } },
    }.RunAsync();
}
