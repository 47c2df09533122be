using System;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.IoModes;

/// <summary>DRV045's run-time twin: a neither-I/O user buffer read twice; and the host rewriting user memory between reads, as a malicious application does.</summary>
public class DoubleFetchTests
{
    private static readonly uint Ioctl = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_NEITHER, FILE_ANY_ACCESS);

    /// <summary>Reads a length from the user's input, checks it, then reads it again to use it (the double fetch).</summary>
    private static NTSTATUS DoubleFetch(DEVICE_OBJECT device, IRP irp)
    {
        var input = IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl.Type3InputBuffer;
        NTSTATUS status = STATUS_SUCCESS;
        try
        {
            ProbeForRead(input, 4, 1);
            if (input.Read<uint>(0) > 8)
            {
                status = STATUS_INVALID_PARAMETER;
            }
            else
            {
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x31747354);
                RtlZeroMemory(local, input.Read<uint>(0));
                ExFreePool(local);
            }
        }
        finally
        {
            irp.IoStatus.Status = status;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }
        return status;
    }

    /// <summary>Reads the length once into a local and uses the local.</summary>
    private static NTSTATUS SingleFetch(DEVICE_OBJECT device, IRP irp)
    {
        var input = IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl.Type3InputBuffer;
        ProbeForRead(input, 4, 1);
        uint length = input.Read<uint>(0);
        irp.IoStatus.Status = length > 8 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return irp.IoStatus.Status;
    }

    [Fact]
    public void Reading_the_same_user_bytes_twice_is_DRV045()
    {
        using var host = new WdmDriverHost();
        host.MajorFunction[IRP_MJ_DEVICE_CONTROL] = DoubleFetch;

        var violation = Expect.Violation("DRV045", () => host.DeviceIoControl(Ioctl, BitConverter.GetBytes(4u), 0));

        Assert.Equal("PVOID.Read", violation.Ddi);
        Assert.Contains("already read once", violation.Message);
    }

    [Fact]
    public void Reading_the_user_value_once_into_a_local_is_clean_even_when_the_application_rewrites_it()
    {
        using var host = new WdmDriverHost { ChangeUserMemoryBetweenReads = true };
        host.MajorFunction[IRP_MJ_DEVICE_CONTROL] = SingleFetch;

        Assert.Equal(STATUS_SUCCESS, host.DeviceIoControl(Ioctl, BitConverter.GetBytes(4u), 0).Status);
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void With_the_application_rewriting_user_memory_the_double_fetched_length_overruns_the_checked_buffer()
    {
        using var host = new WdmDriverHost(verifierEnabled: false) { ChangeUserMemoryBetweenReads = true };
        host.MajorFunction[IRP_MJ_DEVICE_CONTROL] = DoubleFetch;

        host.DeviceIoControl(Ioctl, BitConverter.GetBytes(4u), 0);

        Assert.Equal(new[] { "DRV045", "DRV020" }, System.Linq.Enumerable.Select(host.Violations, v => v.Rule));
    }
}
