using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Handles;

public class HandleIdentityTests
{
    [Fact]
    public void Handles_compare_by_object_and_convert_to_WDFOBJECT()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 1, out var a, NULL);
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, 1, out var b, NULL);
            WDFMEMORY copy = a;
            Assert.True(a == copy);
            Assert.True(a != b);
            Assert.Equal(a.GetHashCode(), copy.GetHashCode());
            WDFOBJECT asObject = a;
            Assert.Equal(a.ToString(), asObject.ToString().Replace("WDFOBJECT", "WDFMEMORY"));
            Assert.True(default(WDFMEMORY) == WDF_NO_HANDLE);
            Assert.Equal("WDF_NO_HANDLE", WDF_NO_HANDLE.ToString());
        });
    }

    [Fact]
    public void Host_handles_have_kind_names()
    {
        using var host = new DriverHost();
        Assert.StartsWith("WDFDEVICE#", host.Device.ToString());
        Assert.StartsWith("WDFQUEUE#", host.Queue.ToString());
        Assert.StartsWith("WDFIOTARGET#", host.LowerTarget.Handle.ToString());
        Assert.Equal(host.LowerTarget.Handle, host.Run(() => WdfDeviceGetIoTarget(host.Device)));
    }

    [Fact]
    public void Framework_objects_cannot_be_deleted_by_the_driver()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Expect.Violation("InvalidObjectDelete", () => WdfObjectDelete(host.Device));
            Expect.Violation("InvalidObjectDelete", () => WdfObjectDelete(host.Queue));
            Expect.Violation("InvalidObjectDelete", () => WdfObjectDelete(host.LowerTarget.Handle));
        });
    }

    [Fact]
    public void A_request_from_a_queue_must_be_completed_not_deleted()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                try
                {
                    Expect.Violation("InvalidObjectDelete", () => WdfObjectDelete(request));
                }
                finally
                {
                    WdfRequestComplete(request, STATUS_SUCCESS);
                }
            },
        };
        Assert.Equal(STATUS_SUCCESS, host.Read(1).Status);
    }
}
