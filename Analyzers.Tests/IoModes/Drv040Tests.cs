using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.MemoryOwnershipAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV040: memory from WdfMemoryCreatePreallocated in a request sent asynchronously.</summary>
public class Drv040Tests
{
    [Fact]
    public Task FlagsAsynchronousSendWithNoSendOptions() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                NTSTATUS status = {|#2:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(request, status); return; }
                status = {|#1:WdfIoTargetFormatRequestForWrite(target, request, memory, null, null)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(request, status); return; }
                if (!{|#0:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|})
                {
                    WdfRequestComplete(request, WdfRequestGetStatus(request));
                }
            }
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("request", 7, "memory", 5));

    [Fact]
    public Task FlagsOptionsWithoutSynchronousFlag() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                WDFMEMORY memory;
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out memory);
                WDFMEMORY alias = memory;
                WdfIoTargetFormatRequestForIoctl(target, request, 0x222003, alias, null, WDF_NO_HANDLE, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_TIMEOUT);
                WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(options, WDF_REL_TIMEOUT_IN_MS(100));
                {|DRV040:WdfRequestSend(request, target, options)|};
            }
        }
        """);

    [Fact]
    public Task FlagsSendAndForgetAndNull() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, WDFREQUEST other, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                WdfIoTargetFormatRequestForRead(target, other, memory, null, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
                {|DRV040:WdfRequestSend(request, target, options)|};
                {|DRV040:WdfRequestSend(other, target, null)|};
            }
        }
        """);

    [Fact]
    public Task FlagsInLambdaCompletionPath() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static EVT_WDF_IO_QUEUE_IO_WRITE Write(WDFIOTARGET target, PVOID buffer) => (queue, request, length) =>
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, length, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                {|DRV040:WdfRequestSend(request, target, NULL)|};
            };
        }
        """);

    [Fact]
    public Task SilentWhenSentSynchronously() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS | WDF_REQUEST_SEND_OPTION_TIMEOUT);
                if (WdfRequestSend(request, target, options))
                {
                    WdfRequestComplete(request, WdfRequestGetStatus(request));
                }
            }
        }
        """);

    [Fact]
    public Task SilentForMemoryThatOwnsItsBuffer() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, WDFLOOKASIDE lookaside, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY scratch);
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x64657246, 64, out WDFMEMORY owned, out PVOID ownedBuffer);
                WdfIoTargetFormatRequestForWrite(target, request, owned, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                WdfMemoryCreateFromLookaside(lookaside, out WDFMEMORY fromList);
                WdfIoTargetFormatRequestForRead(target, request, fromList, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    [Fact]
    public Task SilentAfterReuseOrReformat() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, WDFMEMORY owned, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WdfIoTargetFormatRequestForWrite(target, request, owned, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(request, reuse);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    [Fact]
    public Task SilentWhenOnlySomePathsUsePreallocatedMemoryOrOptionsAreUnknown() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, WDFMEMORY owned, PVOID buffer, bool small, WDF_REQUEST_SEND_OPTIONS options)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                if (small)
                {
                    WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                    WdfRequestSend(request, target, options);
                    WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                    Configure(options);
                    WdfRequestSend(request, target, options);
                }
                else
                {
                    WdfIoTargetFormatRequestForWrite(target, request, owned, null, null);
                }

                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }

            static void Configure(WDF_REQUEST_SEND_OPTIONS options) => options.Flags |= WDF_REQUEST_SEND_OPTION_SYNCHRONOUS;
        }
        """);

    [Fact]
    public Task SilentWhenOptionsMadeSynchronousLater() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, 0);
                options.Flags |= WDF_REQUEST_SEND_OPTION_SYNCHRONOUS;
                WdfRequestSend(request, target, options);
            }
        }
        """);

    [Fact]
    public Task SilentForSynchronousSendDdis() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS Read(WDFIOTARGET target, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out WDF_MEMORY_DESCRIPTOR descriptor, memory, null);
                return WdfIoTargetSendReadSynchronously(target, WDF_NO_HANDLE, descriptor, null, WDF_NO_SEND_OPTIONS, out nuint read);
            }
        }
        """);

    [Fact]
    public Task NoCrashOnIncompleteCode() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
                {
                    WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory
                    WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                    WdfRequestSend(request, target, );
                    WdfRequestSend(, target, WDF_NO_SEND_OPTIONS);
                    WdfMemoryCreatePreallocated(
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();
}
