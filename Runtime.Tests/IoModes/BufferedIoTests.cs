using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.IoModes;

/// <summary>Reference 001, buffered I/O: the driver works on a system buffer; the I/O manager copies to and from the user buffer.</summary>
public class BufferedIoTests
{
    private static WdmDriverHost BufferedWdmHost() => new(fdo => fdo.Flags |= DO_BUFFERED_IO);

    [Fact]
    public void Wdm_read_copies_back_only_Information_bytes()
    {
        using var host = BufferedWdmHost();
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            var stack = IoGetCurrentIrpStackLocation(irp);
            RtlFillMemory(irp.AssociatedIrp.SystemBuffer, stack.Parameters.Read.Length, 0x5A);
            irp.IoStatus.Status = STATUS_SUCCESS;
            irp.IoStatus.Information = 2;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };

        var result = host.Read(new byte[] { 1, 1, 1, 1 });

        Assert.Equal(new byte[] { 0x5A, 0x5A, 1, 1 }, result.UserBuffer);
    }

    [Fact]
    public void Wdm_read_failing_with_an_error_copies_nothing_back()
    {
        using var host = BufferedWdmHost();
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            RtlFillMemory(irp.AssociatedIrp.SystemBuffer, 4, 0x5A);
            irp.IoStatus.Status = STATUS_DEVICE_NOT_READY;
            irp.IoStatus.Information = 4;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_DEVICE_NOT_READY;
        };

        Assert.Equal(new byte[] { 1, 1, 1, 1 }, host.Read(new byte[] { 1, 1, 1, 1 }).UserBuffer);
    }

    [Fact]
    public void Wdm_write_sees_a_copy_of_the_users_data_and_cannot_change_the_original()
    {
        using var host = BufferedWdmHost();
        var seen = new byte[3];
        host.MajorFunction[IRP_MJ_WRITE] = (device, irp) =>
        {
            var stack = IoGetCurrentIrpStackLocation(irp);
            Assert.Equal(3u, stack.Parameters.Write.Length);
            Assert.True(irp.MdlAddress == NULL);
            irp.AssociatedIrp.SystemBuffer.CopyTo(seen, 0);
            irp.AssociatedIrp.SystemBuffer.Write<byte>(0, 99);
            irp.IoStatus.Information = stack.Parameters.Write.Length;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };
        var data = new byte[] { 4, 5, 6 };

        var result = host.Write(data);

        Assert.Equal(new byte[] { 4, 5, 6 }, seen);
        Assert.Equal(new byte[] { 4, 5, 6 }, data);
        Assert.Equal((nuint)3, result.Information);
    }

    [Fact]
    public void Wdm_system_buffer_after_IoCompleteRequest_is_DRV001_and_completing_twice_is_DRV002()
    {
        using var host = BufferedWdmHost();
        IRP? kept = null;
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            kept = irp;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };
        host.Read(4);

        Expect.Violation("DRV001", () => kept!.AssociatedIrp.SystemBuffer.Read<int>(0));
        Expect.Violation("DRV002", () => IoCompleteRequest(kept!, IO_NO_INCREMENT));
    }

    [Fact]
    public void Wdm_irp_never_completed_is_DRV004_at_unload()
    {
        using var host = BufferedWdmHost();
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            IoMarkIrpPending(irp);
            return STATUS_PENDING;
        };
        var result = host.Read(4);

        Assert.Equal(1, host.OutstandingIrps);
        Assert.False(result.IsCompleted);
        Assert.Equal(new[] { "DRV004" }, host.Unload().Rules);
    }

    [Fact]
    public void Wdf_read_and_its_memory_share_the_system_buffer()
    {
        using var host = new DriverHost(WdfDeviceIoBuffered)
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestRetrieveOutputBuffer(request, 0, out PVOID buffer, out nuint size);
                WdfRequestRetrieveOutputMemory(request, out var memory);
                Assert.Equal(buffer, WdfMemoryGetBuffer(memory, out nuint memorySize));
                Assert.Equal(size, memorySize);
                Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveOutputWdmMdl(request, out PMDL mdl));
                Assert.Equal(size, (nuint)MmGetMdlByteCount(mdl));
                MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority).Write<byte>(0, 0x11);
                Assert.Equal(STATUS_SUCCESS, WdfMemoryCopyFromBuffer(memory, 1, new byte[] { 0x22 }.AsPointer(), 1));
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 2);
            },
        };

        Assert.Equal(new byte[] { 0x11, 0x22, 0 }, host.Read(3).UserBuffer);
    }

    [Fact]
    public void Wdf_buffered_ioctl_input_and_output_share_one_buffer()
    {
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, outputLength, inputLength, code) =>
            {
                Assert.Equal((nuint)2, inputLength);
                Assert.Equal((nuint)4, outputLength);
                WdfRequestRetrieveInputBuffer(request, 2, out PVOID input, out _);
                WdfRequestRetrieveOutputBuffer(request, 4, out PVOID output, out _);
                Assert.Equal(input, output);
                Assert.Equal((ushort)0x0201, output.Read<ushort>(0));
                output.Write<uint>(0, 0xDDCCBBAA);
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 4);
            },
        };

        var result = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS), new byte[] { 1, 2 }, 4);

        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC, 0xDD }, result.UserBuffer);
    }
}
