using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Exercising.Generation;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Generation;

public class RequestGeneratorTests
{
    private static readonly uint[] DriverCodes = [0x222000, 0x222004, 0x222008];
    private static readonly List<GeneratedRequest> Thousand =
        Enumerable.Range(0, 1000).Select(new RequestGenerator(1, DriverCodes).Generate).ToList();

    [Fact]
    public void A_request_depends_only_on_the_seed_and_its_number()
    {
        var again = new RequestGenerator(1, DriverCodes);

        Assert.Equal(Thousand[17], again.Generate(17));
        Assert.Equal(Thousand[999], again.Generate(999));
        Assert.NotEqual(Thousand[17], new RequestGenerator(2, DriverCodes).Generate(17));
    }

    [Fact]
    public void Reads_writes_IOCTLs_and_internal_IOCTLs_are_all_sent()
    {
        var kinds = Thousand.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(new[] { RequestKind.Read, RequestKind.Write, RequestKind.DeviceControl }, kind => Assert.True(kinds[kind] > 100, $"{kind}: {kinds.GetValueOrDefault(kind)}"));
        Assert.InRange(kinds[RequestKind.InternalDeviceControl], 20, 100);
    }

    [Fact]
    public void Lengths_are_zero_one_odd_page_sized_and_huge()
    {
        var lengths = Thousand.SelectMany(r => new[] { r.Length, r.InputLength, r.OutputLength }).ToHashSet();

        Assert.Contains(0, lengths);
        Assert.Contains(1, lengths);
        Assert.Contains(lengths, l => l % 2 == 1 && l > 1);
        Assert.Contains(4096, lengths);
        Assert.Contains(1 << 20, lengths);
    }

    [Fact]
    public void IOCTL_codes_are_the_drivers_own_and_unknown_ones_in_every_transfer_method()
    {
        var codes = Thousand.Where(r => r.Kind is RequestKind.DeviceControl or RequestKind.InternalDeviceControl).Select(r => r.IoControlCode).ToList();
        var unknown = codes.Where(c => !DriverCodes.Contains(c)).ToList();

        Assert.All(DriverCodes, code => Assert.Contains(code, codes));
        Assert.NotEmpty(unknown);
        Assert.Equal([0u, 1u, 2u, 3u], unknown.Select(c => c & 3).Distinct().Order());
    }

    [Fact]
    public void Every_lower_target_timing_and_outcome_is_drawn_and_some_requests_are_canceled()
    {
        Assert.Equal(System.Enum.GetValues<TargetTiming>().Order(), Thousand.Select(r => r.Timing).Distinct().Order());
        Assert.Equal(System.Enum.GetValues<TargetOutcome>().Order(), Thousand.Select(r => r.Outcome).Distinct().Order());
        Assert.Contains(Thousand, r => r.CancelIfPending);
    }

    [Fact]
    public void Sessions_cover_every_request_once_in_order_and_do_not_change_when_more_requests_follow()
    {
        var generator = new RequestGenerator(5, DriverCodes);
        var short_ = generator.Sessions(30);
        var long_ = generator.Sessions(300);

        Assert.Equal(Enumerable.Range(0, 30), short_.SelectMany(s => s));
        Assert.Equal(Enumerable.Range(0, 300), long_.SelectMany(s => s));
        Assert.All(long_, s => Assert.InRange(s.Count, 1, 8));
        Assert.Equal(short_.Take(short_.Count - 1).Select(s => s.ToArray()), long_.Take(short_.Count - 1).Select(s => s.ToArray()));
    }

    [Fact]
    public void Input_data_is_a_recognisable_pattern()
    {
        var request = Thousand[0];

        Assert.Equal(Enumerable.Range(0, 5).Select(i => (byte)(request.Fill + i)), request.InputData(5));
    }
}
