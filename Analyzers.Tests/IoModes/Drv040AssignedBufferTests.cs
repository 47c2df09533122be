using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.MemoryOwnershipAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>
/// DRV040 follows <c>WdfMemoryAssignBuffer</c>: preallocated memory (created in this method, or kept in a device context
/// and created elsewhere) is over the buffer it was last given. The shape of usb/UcmTcpciCxClientSample's I2C code: one
/// preallocated memory object in the device context, given a register buffer of the context or a transfer list before
/// each asynchronous send.
/// </summary>
public class Drv040AssignedBufferTests
{
    private const string Context = """
        class DEVICE_CONTEXT
        {
            public WDFIOTARGET I2CIoTarget;
            public WDFREQUEST I2CAsyncRequest;
            public WDFMEMORY I2CMemory;
            public readonly LOCAL_BUFFER I2CAsyncBuffer = new(50);
        }

        """;

    private const string Open = """
            static NTSTATUS I2COpen(DEVICE_CONTEXT DeviceContext)
            {
                using var initialBuffer = new LOCAL_BUFFER(4);
                NTSTATUS status = WdfIoTargetCreate(WDF_NO_HANDLE, WDF_NO_OBJECT_ATTRIBUTES, out DeviceContext.I2CIoTarget);
                if (!NT_SUCCESS(status)) { return status; }
                status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, initialBuffer.Address, 4, out DeviceContext.I2CMemory);
                if (!NT_SUCCESS(status)) { return status; }
                return WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, DeviceContext.I2CIoTarget, out DeviceContext.I2CAsyncRequest);
            }

        """;

    [Fact]
    public Task FlagsAStackTransferListAssignedToContextMemoryAndSentAsynchronously() => Verify.VerifyAnalyzerAsync(Context + """
        class Driver
        {
        """ + Open.Replace("status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, initialBuffer.Address, 4, out DeviceContext.I2CMemory);",
            "status = {|#3:WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, initialBuffer.Address, 4, out DeviceContext.I2CMemory)|};") + """
            static NTSTATUS I2CReadAsynchronously(DEVICE_CONTEXT DeviceContext, uint Length)
            {
                NTSTATUS status;
                PVOID transferList;
                using var transferListStorage = new LOCAL_BUFFER(35);

                transferList = transferListStorage.Address;
                transferList.Write<uint>(0, 35);
                status = WdfMemoryAssignBuffer(DeviceContext.I2CMemory, transferList, 35);
                status = {|#2:WdfIoTargetFormatRequestForIoctl(DeviceContext.I2CIoTarget, DeviceContext.I2CAsyncRequest, 0x222003,
                    DeviceContext.I2CMemory, null, default, null)|};
                if (!NT_SUCCESS(status))
                {
                    goto Exit;
                }

                if ({|#0:WdfRequestSend(DeviceContext.I2CAsyncRequest, DeviceContext.I2CIoTarget, NULL)|} == FALSE)
                {
                    status = WdfRequestGetStatus(DeviceContext.I2CAsyncRequest);
                    goto Exit;
                }

            Exit:
                return status;
            {|#1:}|}
        }
        """,
        Verify.Diagnostic("DRV040").WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3)
            .WithArguments("DeviceContext.I2CAsyncRequest", 27, "DeviceContext.I2CMemory", 14, "transferListStorage", 42));

    [Fact]
    public Task SilentWhenTheAssignedBufferIsTheDeviceContexts() => Verify.VerifyAnalyzerAsync(Context + """
        class Driver
        {
        """ + Open + """
            static NTSTATUS I2CWriteAsynchronously(DEVICE_CONTEXT DeviceContext, byte RegisterAddress, PVOID Data, uint Length)
            {
                NTSTATUS status;
                if (1 + Length > 50)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                DeviceContext.I2CAsyncBuffer.Address.Write<byte>(0, RegisterAddress);
                RtlCopyMemory(DeviceContext.I2CAsyncBuffer.Address + 1, Data, Length);
                status = WdfMemoryAssignBuffer(DeviceContext.I2CMemory, DeviceContext.I2CAsyncBuffer.Address, 1 + Length);
                status = WdfIoTargetFormatRequestForWrite(DeviceContext.I2CIoTarget, DeviceContext.I2CAsyncRequest, DeviceContext.I2CMemory, null, null);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                if (WdfRequestSend(DeviceContext.I2CAsyncRequest, DeviceContext.I2CIoTarget, NULL) == FALSE)
                {
                    status = WdfRequestGetStatus(DeviceContext.I2CAsyncRequest);
                }

                return status;
            }
        }
        """);

    [Fact]
    public Task SilentWhenAStackBufferIsAssignedAndSentSynchronously() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Push(WDFIOTARGET target, WDFREQUEST request, WDFMEMORY memory)
            {
                using var block = new LOCAL_BUFFER(64);
                using var stale = new LOCAL_BUFFER(8);
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, stale.Address, 8, out WDFMEMORY local);
                WdfMemoryAssignBuffer(local, block.Address, 64);
                WdfIoTargetFormatRequestForWrite(target, request, local, null, null);
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfRequestSend(request, target, options);
            }
        }
        """);

    [Fact]
    public Task SilentWhenAStackBufferIsReplacedByALongLivedOneBeforeTheSend() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static PVOID Block;

            static void Push(WDFIOTARGET target, WDFREQUEST request)
            {
                using var stale = new LOCAL_BUFFER(8);
                WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, stale.Address, 8, out WDFMEMORY memory);
                WdfMemoryAssignBuffer(memory, Block, 64);
                WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);
}
