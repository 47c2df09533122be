using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Synchronization;

/// <summary>The IRQL of a thread: raised and lowered the right way, restored after callbacks, and PAGED_CODE above APC_LEVEL.</summary>
public class IrqlTests
{
    [Fact]
    public void Raising_and_lowering_the_irql_the_right_way_round_works_and_the_wrong_way_is_WrongIrql()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            Assert.Equal(PASSIVE_LEVEL, old);
            Assert.Equal(DISPATCH_LEVEL, KeGetCurrentIrql());
            Expect.Violation("WrongIrql", () => KeRaiseIrql(APC_LEVEL, out _));
            Expect.Violation("WrongIrql", () => KeLowerIrql(HIGH_LEVEL));
            KeLowerIrql(old);
            Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
            Assert.Equal(PASSIVE_LEVEL, KeRaiseIrqlToDpcLevel());
            KeLowerIrql(PASSIVE_LEVEL);
        });
    }

    [Fact]
    public void PAGED_CODE_is_fine_at_APC_LEVEL_and_DRV037_above_it()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            PAGED_CODE();
            KeRaiseIrql(APC_LEVEL, out var old);
            PAGED_CODE();
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            var violation = Expect.Violation("DRV037", PAGED_CODE);
            Assert.Contains("DISPATCH_LEVEL", violation.Message);
            KeLowerIrql(old);
        });
    }

    [Fact]
    public void A_callback_that_returns_at_another_irql_than_it_was_called_at_is_WrongIrql_and_the_irql_is_restored()
    {
        using var host = new DriverHost
        {
            EvtIoRead = (queue, request, length) =>
            {
                KeRaiseIrql(DISPATCH_LEVEL, out _);
                WdfRequestComplete(request, STATUS_SUCCESS);
            },
        };

        var violation = Expect.Violation("WrongIrql", () => host.Read(1));

        Assert.Equal("EvtIoRead", violation.Ddi);
        Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
    }
}
