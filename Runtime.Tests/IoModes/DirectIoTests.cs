using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.IoModes;

/// <summary>Reference 001, direct I/O: the user pages are locked behind an MDL; the driver maps the MDL, no copy happens.</summary>
public class DirectIoTests
{
    [Fact]
    public void Wdm_write_reads_the_users_bytes_through_the_mdl_and_its_length_from_the_mdl()
    {
        using var host = new WdmDriverHost(fdo => fdo.Flags |= DO_DIRECT_IO);
        var seen = new byte[3];
        host.MajorFunction[IRP_MJ_WRITE] = (device, irp) =>
        {
            Assert.True(irp.AssociatedIrp.SystemBuffer == NULL);
            uint length = MmGetMdlByteCount(irp.MdlAddress);
            Assert.Equal(IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length, length);
            Assert.Equal(0u, MmGetMdlByteOffset(irp.MdlAddress));
            MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute).CopyTo(seen, 0);
            irp.IoStatus.Information = length;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };

        var result = host.Write(new byte[] { 7, 8, 9 });

        Assert.Equal(new byte[] { 7, 8, 9 }, seen);
        Assert.Equal((nuint)3, result.Information);
    }

    [Fact]
    public void Wdm_touching_the_mdls_user_virtual_address_is_DRV042()
    {
        using var host = new WdmDriverHost(fdo => fdo.Flags |= DO_DIRECT_IO);
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            MmGetMdlVirtualAddress(irp.MdlAddress).Write<byte>(0, 1);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };

        Expect.Violation("DRV042", () => host.Read(4));
    }

    [Fact]
    public void Wdm_mapping_after_completion_is_DRV001()
    {
        using var host = new WdmDriverHost(fdo => fdo.Flags |= DO_DIRECT_IO);
        PVOID mapped = NULL;
        PMDL mdl = default;
        host.MajorFunction[IRP_MJ_READ] = (device, irp) =>
        {
            mdl = irp.MdlAddress;
            mapped = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        };
        host.Read(4);

        Expect.Violation("DRV001", () => mapped.Write<byte>(0, 1));
        Expect.Violation("DRV001", () => MmGetMdlByteCount(mdl));
    }

    [Fact]
    public void Wdf_read_writes_straight_into_the_users_buffer()
    {
        using var host = new DriverHost(WdfDeviceIoDirect)
        {
            EvtIoRead = (queue, request, length) =>
            {
                WdfRequestRetrieveOutputBuffer(request, length, out PVOID buffer, NULL);
                RtlFillMemory(buffer, length, 0x66);
                WdfRequestRetrieveOutputWdmMdl(request, out PMDL mdl);
                Assert.Equal(length, (nuint)MmGetMdlByteCount(mdl));
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length);
            },
        };

        Assert.Equal(new byte[] { 0x66, 0x66 }, host.Read(2).UserBuffer);
    }

    [Fact]
    public void Wdf_out_direct_ioctl_buffers_its_input_and_maps_its_output()
    {
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, outputLength, inputLength, code) =>
            {
                WdfRequestRetrieveInputBuffer(request, 1, out PVOID input, NULL);
                WdfRequestRetrieveOutputBuffer(request, 1, out PVOID output, NULL);
                Assert.NotEqual(input, output);
                Assert.Equal(STATUS_SUCCESS, WdfRequestRetrieveOutputWdmMdl(request, out _));
                output.Write<byte>(0, (byte)(input.Read<byte>(0) + 1));
                WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 1);
            },
        };

        var result = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x901, METHOD_OUT_DIRECT, FILE_ANY_ACCESS), new byte[] { 41 }, 1);

        Assert.Equal(new byte[] { 42 }, result.UserBuffer);
    }

    [Fact]
    public void Wdf_mapping_failure_makes_buffer_retrieval_fail_cleanly()
    {
        NTSTATUS status = STATUS_SUCCESS;
        using var host = new DriverHost(WdfDeviceIoDirect)
        {
            EvtIoRead = (queue, request, length) =>
            {
                status = WdfRequestRetrieveOutputBuffer(request, 1, out PVOID buffer, NULL);
                Assert.Equal(NULL, buffer);
                WdfRequestComplete(request, status);
            },
        };
        host.Pool.FailNextMdlMappings(1);

        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, host.Read(new byte[] { 3 }).Status);
        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, status);
    }
}
