using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Lookaside;

/// <summary>WDM lookaside lists: recycled entries, an entry used after it went back (DRV036), given back twice (DRV034), leaks at unload.</summary>
public class WdmLookasideTests
{
    [Fact]
    public void Entries_are_recycled_with_their_old_bytes_and_a_stale_pointer_is_DRV036()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            ExInitializeNPagedLookasideList(out var list, NULL, NULL, POOL_NX_ALLOCATION, 32, Tags.Test, 0);
            var first = ExAllocateFromNPagedLookasideList(list);
            first.Write<int>(28, 0x1234);
            ExFreeToNPagedLookasideList(list, first);

            var second = ExAllocateFromNPagedLookasideList(list);
            Assert.Equal(0x1234, second.Read<int>(28));
            Assert.Equal(0, host.Pool.OutstandingAllocations);
            var stale = Expect.Violation("DRV036", () => first.Read<int>(28));
            Assert.Contains("went back to NPAGED_LOOKASIDE_LIST#", stale.Message);
            Expect.Violation("DRV024", () => second.Read<int>(30));

            Expect.Violation("DRV034", () => ExFreeToNPagedLookasideList(list, first));
            Expect.Violation("InvalidPoolFree", () => ExFreeToNPagedLookasideList(list, second + 4));
            ExFreeToNPagedLookasideList(list, second);
            ExDeleteNPagedLookasideList(list);
            Expect.Violation("DRV036", () => ExAllocateFromNPagedLookasideList(list));
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Custom_allocate_and_free_functions_are_used_and_an_entry_never_given_back_is_a_leak_at_unload()
    {
        using var host = new DriverHost();
        var calls = new List<string>();
        host.Run(() =>
        {
            ExInitializeNPagedLookasideList(out var list,
                (type, size, tag) => { calls.Add($"allocate {size}"); return ExAllocatePool2(POOL_FLAG_NON_PAGED, size, tag); },
                entry => { calls.Add("free"); ExFreePoolWithTag(entry, Tags.Other); },
                0, 24, Tags.Other, 4);
            var kept = ExAllocateFromNPagedLookasideList(list);
            var returned = ExAllocateFromNPagedLookasideList(list);
            ExFreeToNPagedLookasideList(list, returned);
            ExDeleteNPagedLookasideList(list);
            Assert.NotEqual(NULL, kept);
        });

        Assert.Equal(new[] { "allocate 24", "allocate 24", "free" }, calls);
        Assert.Equal(new[] { "LookasideLeak" }, host.Unload().Rules);
    }

    [Fact]
    public void A_list_never_deleted_is_a_LookasideLeak()
    {
        using var host = new DriverHost();
        host.Run(() => ExInitializeNPagedLookasideList(out _, NULL, NULL, 0, 8, Tags.Test, 0));

        var report = host.Unload();

        Assert.Equal(new[] { "LookasideLeak" }, report.Rules);
        Assert.Contains("never deleted", report.ToString());
    }
}
