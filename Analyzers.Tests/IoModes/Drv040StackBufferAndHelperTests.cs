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

    /// <summary>
    /// bluetooth/bthecho: the caller builds a BRB over a stack buffer and hands the BRB object to a helper that wraps
    /// <c>Brb.Block</c> in preallocated memory, formats the request with it and sends it without waiting. Reported at the
    /// call, where the stack buffer's scope ends; the helper's creation, format and send are additional locations.
    /// </summary>
    [Fact]
    public Task FlagsAStackBufferInAMemberOfAnObjectHandedToAHelperThatSendsIt() => Verify.VerifyAnalyzerAsync("""
        class Brb { public PVOID Block; public int Type; }

        class Driver
        {
            static void Disconnect(WDFIOTARGET target, WDFREQUEST request)
            {
                Brb brb;
                using var closeChannel = new LOCAL_BUFFER(512);
                brb = new Brb { Block = closeChannel.Address, Type = 3 };
                {|#0:SendBrbAsync(target, request, brb, 512)|};
            {|#1:}|}

            static NTSTATUS SendBrbAsync(WDFIOTARGET target, WDFREQUEST request, Brb brb, nuint size)
            {
                NTSTATUS status = {|#3:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, brb.Block, size, out WDFMEMORY memory)|};
                if (!NT_SUCCESS(status)) { goto exit; }
                status = {|#2:WdfIoTargetFormatRequestForInternalIoctl(target, request, 0x410003, memory, null, WDF_NO_HANDLE, null)|};
                if (!NT_SUCCESS(status)) { goto exit; }
                if (FALSE == {|#4:WdfRequestSend(request, target, null)|})
                {
                    status = WdfRequestGetStatus(request);
                }
            exit:
                return status;
            }
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4)
            .WithArguments("request", 17, "memory", 15, "closeChannel", 11));

    [Fact]
    public Task FlagsAStackBufferHandedToAHelperThatWrapsItsPvoidParameterAndSendsIt() => Verify.VerifyAnalyzerAsync("""
        class Context { public WDFREQUEST Request; public WDFIOTARGET Target; }

        class Driver
        {
            static void Poll(Context device)
            {
                using var report = new LOCAL_BUFFER(8);
                {|#0:SendBuffer(device, report.Address)|};
            {|#1:}|}

            static void SendBuffer(Context device, PVOID buffer)
            {
                {|#3:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 8, out WDFMEMORY memory)|};
                {|#2:WdfIoTargetFormatRequestForRead(device.Target, device.Request, memory, null, null)|};
                {|#4:WdfRequestSend(device.Request, device.Target, WDF_NO_SEND_OPTIONS)|};
            }
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4)
            .WithArguments("device.Request", 14, "memory", 13, "report", 9));

    /// <summary>
    /// The same helpers given buffers that outlive the call (pool, a member of the device context), a stack buffer the
    /// helper sends synchronously, and a BRB whose block was replaced by a pool buffer before the call: silent.
    /// </summary>
    [Fact]
    public Task SilentWhenTheWrappedBufferOutlivesTheCallOrTheHelperWaits() => Verify.VerifyAnalyzerAsync("""
        class Brb { public PVOID Block; }
        class Context { public PVOID Buffer; }

        class Driver
        {
            static void Callers(WDFIOTARGET target, WDFREQUEST request, Context device)
            {
                using var stack = new LOCAL_BUFFER(64);
                var pooled = new Brb { Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x6f6f7250) };
                SendBrbAsync(target, request, pooled);
                SendBrbAsync(target, request, new Brb { Block = device.Buffer });
                var replaced = new Brb { Block = stack.Address };
                replaced.Block = device.Buffer;
                SendBrbAsync(target, request, replaced);
                SendBrbAndWait(target, request, new Brb { Block = stack.Address });
            }

            static void SendBrbAsync(WDFIOTARGET target, WDFREQUEST request, Brb brb)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, brb.Block, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }

            static void SendBrbAndWait(WDFIOTARGET target, WDFREQUEST request, Brb brb)
            {
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, brb.Block, 64, out WDFMEMORY memory);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfRequestSend(request, target, options);
            }
        }
        """);

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

    /// <summary>
    /// Issue 11, device-lifetime preallocated memory: the memory object kept in a field is created over a pool block kept
    /// in another field (at initialization), a request formatted with it is sent asynchronously by the I/O callback, and the
    /// cleanup callback frees the block, possibly while the send is pending. Reported at the send, with the free.
    /// </summary>
    [Fact]
    public Task FlagsDeviceLifetimePreallocatedMemorySentAsynchronously() => Verify.VerifyAnalyzerAsync("""
        class ConfigDevice
        {
            const uint Tag = 0x67666E43;
            public WDFIOTARGET Target;
            public PVOID Block;
            public WDFMEMORY BlockMemory;

            public NTSTATUS Initialize(WDFDEVICE device)
            {
                Target = WdfDeviceGetIoTarget(device);
                Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                if (Block == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                return {|#3:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, Block, 64, out BlockMemory)|};
            }

            public void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = {|#2:WdfIoTargetFormatRequestForWrite(Target, Request, BlockMemory, null, null)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (!{|#0:WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS)|})
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            public void Cleanup()
            {
                WdfObjectDelete(BlockMemory);
                {|#1:ExFreePoolWithTag(Block, Tag)|};
                Block = NULL;
            }
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3)
            .WithArguments("Request", 18, "BlockMemory", 13, "Block", 29));

    /// <summary>
    /// The correct shapes stay silent: the asynchronous send uses a memory object that owns a copy of the block
    /// (<c>WdfMemoryCreate</c>), the device-lifetime memory is only sent synchronously, and a member that also receives
    /// memory of unknown origin tells nothing.
    /// </summary>
    [Fact]
    public Task SilentForOwnedCopiesSynchronousSendsAndMembersOfUnknownOrigin() => Verify.VerifyAnalyzerAsync("""
        class ConfigDevice
        {
            const uint Tag = 0x67666E43;
            public WDFIOTARGET Target;
            public PVOID Block;
            public WDFMEMORY BlockMemory;
            public PVOID Other;
            public WDFMEMORY OtherMemory;

            public NTSTATUS Initialize(WDFDEVICE device, WDFMEMORY callers)
            {
                Target = WdfDeviceGetIoTarget(device);
                Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                if (Block == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                Other = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                if (Other == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                OtherMemory = callers;
                return WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, Block, 64, out BlockMemory);
            }

            public void PushCopy(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.ParentObject = Request;
                NTSTATUS status = WdfMemoryCreate(attributes, NonPagedPoolNx, Tag, 64, out var copy, out _);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfMemoryCopyFromBuffer(copy, 0, Block, 64);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfIoTargetFormatRequestForWrite(Target, Request, copy, null, null);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            public void PushSynchronously(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfIoTargetFormatRequestForWrite(Target, Request, BlockMemory, null, null);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfRequestSend(Request, Target, options);
                WdfRequestComplete(Request, WdfRequestGetStatus(Request));
            }

            public void PushOther(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfIoTargetFormatRequestForWrite(Target, Request, OtherMemory, null, null);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            public void Cleanup()
            {
                WdfObjectDelete(BlockMemory);
                ExFreePoolWithTag(Block, Tag);
                ExFreePoolWithTag(Other, Tag);
            }
        }
        """);
}
