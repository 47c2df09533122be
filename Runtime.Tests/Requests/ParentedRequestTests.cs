using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Requests;

/// <summary>A driver-created request parented to the original (a common pattern) is deleted with it.</summary>
public class ParentedRequestTests
{
    [Fact]
    public void A_request_parented_to_the_original_dies_when_the_original_completes()
    {
        WDFREQUEST created = default;
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.ParentObject = request;
                Assert.Equal(STATUS_SUCCESS, WdfRequestCreate(attributes, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(queue)), out created));
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };
        host.Read(1);

        var violation = Expect.Violation("DRV036", () => WdfRequestGetStatus(created));
        Assert.Contains("was completed by WdfRequestComplete", violation.Message);
        Assert.True(host.Unload().IsClean);
    }
}
