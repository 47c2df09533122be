using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.MemoryOwnershipAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV040: memory from WdfMemoryCreatePreallocated in a request sent asynchronously, its buffer freed while pending.</summary>
public class Drv040Tests
{
    [Fact]
    public Task FlagsBufferFreedAfterAsynchronousSend() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const uint Tag = 0x64657246;

            static void Forward(WDFIOTARGET target)
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                if (buffer == NULL) { return; }
                NTSTATUS status = {|#3:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory)|};
                if (!NT_SUCCESS(status)) { ExFreePoolWithTag(buffer, Tag); return; }
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST request);
                status = {|#2:WdfIoTargetFormatRequestForWrite(target, request, memory, null, null)|};
                if (!NT_SUCCESS(status)) { ExFreePoolWithTag(buffer, Tag); return; }
                if (!{|#0:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|})
                {
                    WdfObjectDelete(request);
                }

                {|#1:ExFreePoolWithTag(buffer, Tag)|};
            }
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3)
            .WithArguments("request", 12, "memory", 9, "buffer", 19));

    [Fact]
    public Task FlagsOptionsWithoutSynchronousFlagAndCopies() => Verify.VerifyAnalyzerAsync("""
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
                bool sent = {|DRV040:WdfRequestSend(request, target, options)|};
                ExFreePool(buffer);
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
                ExFreePoolWithTag(buffer, 0x64657246);
                ExFreePoolWithTag(buffer, 0x64657246);
            }
        }
        """);

    [Fact]
    public Task FlagsInLambda() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static EVT_WDF_IO_QUEUE_IO_WRITE Write(WDFIOTARGET target) => (queue, request, length) =>
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, 0x64657246);
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, length, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                {|DRV040:WdfRequestSend(request, target, NULL)|};
                ExFreePoolWithTag(buffer, 0x64657246);
            };
        }
        """);

    [Fact]
    public Task FlagsBufferFreedByAHelper() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const uint Tag = 0x64657246;

            static void Forward(WDFIOTARGET target, WDFREQUEST request)
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                {|DRV040:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|};
                Log(buffer);
                Release(buffer);
            }

            static void Release(PVOID pointer)
            {
                if (pointer == NULL) { return; }
                ExFreePoolWithTag(pointer, Tag);
            }

            static void Log(PVOID pointer)
            {
                if (pointer != NULL) { ExFreePoolWithTag(pointer, Tag); }
            }
        }
        """);

    [Fact]
    public Task FlagsFreeAfterJoinWithPathsThatNeverSent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, PVOID buffer)
            {
                var status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 32, out var memory);
                if (!NT_SUCCESS(status)) { ExFreePool(buffer); return; }
                status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                if (NT_SUCCESS(status))
                {
                    if (NT_SUCCESS(WdfIoTargetFormatRequestForWrite(target, request, memory, null, null)) &&
                        !{|DRV040:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|})
                    {
                        WdfObjectDelete(request);
                    }
                }

                WdfObjectDelete(memory);
                ExFreePool(buffer);
            }
        }
        """);

    [Fact]
    public Task SilentWhenOnlyPathsThatNeverSentOrFailedReachTheFree() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                var status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 32, out var memory);
                if (!NT_SUCCESS(status)) { goto Exit; }
                status = WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                if (!NT_SUCCESS(status)) { goto Exit; }
                if (!WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS))
                {
                    status = WdfRequestGetStatus(request);
                    goto Exit;
                }

                return;

            Exit:
                WdfRequestComplete(request, status);
                ExFreePool(buffer);
            }
        }
        """);

    [Fact]
    public Task SilentWhenBufferFreedInCompletionRoutine() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target)
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x64657246);
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 16, out WDFMEMORY memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST request);
                WdfIoTargetFormatRequestForRead(target, request, memory, NULL, NULL);
                WdfRequestSetCompletionRoutine(request, (r, t, p, c) =>
                {
                    WdfObjectDelete(r);
                    WdfObjectDelete(memory);
                    ExFreePoolWithTag(buffer, 0x64657246);
                }, WDF_NO_CONTEXT);
                if (!WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS))
                {
                    WdfObjectDelete(request);
                    WdfObjectDelete(memory);
                    ExFreePoolWithTag(buffer, 0x64657246);
                }
            }
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

                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS later, 0);
                later.Flags |= WDF_REQUEST_SEND_OPTION_SYNCHRONOUS;
                WdfRequestSend(request, target, later);
                ExFreePool(buffer);
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
                ExFreePool(buffer);
            }
        }
        """);

    [Fact]
    public Task SilentAfterReuseOrReformatOrWhenBufferReplaced() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, WDFMEMORY owned, PVOID buffer, PVOID spare)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WdfIoTargetFormatRequestForWrite(target, request, owned, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                ExFreePool(buffer);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(request, reuse);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                ExFreePool(buffer);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                buffer = spare;
                ExFreePool(buffer);
            }
        }
        """);

    [Fact]
    public Task SilentWhenOnlySomePathsOrOptionsAreUnknown() => Verify.VerifyAnalyzerAsync("""
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
                ExFreePool(buffer);
            }

            static void Configure(WDF_REQUEST_SEND_OPTIONS options) => options.Flags |= WDF_REQUEST_SEND_OPTION_SYNCHRONOUS;
        }
        """);

    [Fact]
    public Task SilentWhenFreedOnlyWhereTheSendFailed() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                bool sent = WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                if (!sent)
                {
                    ExFreePool(buffer);
                    WdfRequestComplete(request, WdfRequestGetStatus(request));
                    return;
                }
            }
        }
        """);

    [Fact]
    public Task SilentWhenFreedWhereTheSendComparedFalse() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Forward(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                if (WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS) == FALSE)
                {
                    ExFreePool(buffer);
                }
            }

            static void ForwardAgain(WDFIOTARGET target, WDFREQUEST request, PVOID buffer)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                bool sent = WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                if (sent != true)
                {
                    ExFreePool(buffer);
                }
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
                NTSTATUS status = WdfIoTargetSendReadSynchronously(target, WDF_NO_HANDLE, descriptor, null, WDF_NO_SEND_OPTIONS, out nuint read);
                WdfObjectDelete(memory);
                ExFreePool(buffer);
                return status;
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
                    ExFreePool(
                    WdfMemoryCreatePreallocated(
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();
}
