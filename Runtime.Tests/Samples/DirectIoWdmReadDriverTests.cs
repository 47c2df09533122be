using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Samples;

public class DirectIoWdmReadDriverTests
{
    private static WdmDriverHost NewHost()
    {
        var host = new WdmDriverHost(DirectIoWdmReadDriver.AddDevice);
        host.MajorFunction[IRP_MJ_READ] = DirectIoWdmReadDriver.DispatchRead;
        return host;
    }

    [Fact]
    public void Read_fills_the_users_pages_through_the_mdl()
    {
        using var host = NewHost();

        var result = host.Read(6);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)6, result.Information);
        Assert.Equal(new byte[] { 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Failed_mapping_is_reported_to_the_application_and_leaves_its_buffer_alone()
    {
        using var host = NewHost();
        host.Pool.FailNextMdlMappings(1);

        var result = host.Read(new byte[] { 1, 2 });

        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, result.Status);
        Assert.Equal(new byte[] { 1, 2 }, result.UserBuffer);
    }

    [Fact]
    public void Zero_length_read_has_no_mdl()
    {
        using var host = NewHost();

        var result = host.Read(0);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)0, result.Information);
    }
}
