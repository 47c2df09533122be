using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Pool;

public class ExFreePoolTests
{
    [Fact]
    public void Freeing_with_the_wrong_tag_is_DRV034()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            var violation = Expect.Violation("DRV034", () => ExFreePoolWithTag(p, Tags.Other));
            Assert.Contains("'Tst2'", violation.Message);
            Assert.Contains("'Tst1'", violation.Message);
        });
    }

    [Fact]
    public void Double_free_is_DRV034_and_use_after_free_is_reported()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            ExFreePool(p);
            Expect.Violation("DRV034", () => ExFreePool(p));
            Expect.Violation("DRV034", () => ExFreePoolWithTag(p, Tags.Test));
            var violation = Expect.Violation("DRV036", () => p.Read<int>(0));
            Assert.Contains("freed by ExFreePool", violation.Message);
        });
    }

    [Fact]
    public void Freeing_something_that_is_not_the_start_of_driver_pool_is_InvalidPoolFree()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            Expect.Violation("InvalidPoolFree", () => ExFreePool(NULL));
            Expect.Violation("InvalidPoolFree", () => ExFreePool(p + 1));
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 4, out _, out PVOID owned);
            Expect.Violation("InvalidPoolFree", () => ExFreePool(owned));
            ExFreePoolWithTag(p, Tags.Test);
        });
    }

    [Fact]
    public void With_the_verifier_off_a_bad_free_is_ignored_and_recorded()
    {
        using var host = new DriverHost(verifierEnabled: false);
        host.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
            ExFreePool(p);
            ExFreePool(p);
        });
        Assert.Equal("DRV034", Assert.Single(host.Violations).Rule);
    }

    [Fact]
    public void Pool_outside_any_host_uses_the_process_pool()
    {
        var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, Tags.Test);
        p.Write(0, 0x01020304);
        Assert.Equal(0x01020304, p.Read<int>(0));
        ExFreePoolWithTag(p, Tags.Test);
        Expect.Violation("DRV036", () => p.Read<int>(0));
    }
}
