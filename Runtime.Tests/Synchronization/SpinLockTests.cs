using System.Threading.Tasks;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Synchronization;

/// <summary>WDF spin locks and WDM KSPIN_LOCKs: DISPATCH_LEVEL while held, mutual exclusion, and misuse reported instead of deadlocking.</summary>
public class SpinLockTests
{
    private static WDFSPINLOCK CreateSpinLock(DriverHost host) => host.Run(() =>
    {
        Assert.Equal(STATUS_SUCCESS, WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, out var spinLock));
        return spinLock;
    });

    [Fact]
    public void A_spin_lock_raises_to_DISPATCH_LEVEL_while_held_and_restores_the_irql_it_was_taken_at()
    {
        using var host = new DriverHost();
        var spinLock = CreateSpinLock(host);
        host.Run(() =>
        {
            KeRaiseIrql(APC_LEVEL, out var old);
            WdfSpinLockAcquire(spinLock);
            Assert.Equal(DISPATCH_LEVEL, KeGetCurrentIrql());
            WdfSpinLockRelease(spinLock);
            Assert.Equal(APC_LEVEL, KeGetCurrentIrql());
            KeLowerIrql(old);
        });
    }

    [Fact]
    public void Taking_a_spin_lock_twice_or_releasing_one_not_held_is_LockMisuse_not_a_deadlock()
    {
        using var host = new DriverHost();
        var spinLock = CreateSpinLock(host);
        host.Run(() =>
        {
            Expect.Violation("LockMisuse", () => WdfSpinLockRelease(spinLock));
            WdfSpinLockAcquire(spinLock);
            Expect.Violation("LockMisuse", () => WdfSpinLockAcquire(spinLock));
            WdfSpinLockRelease(spinLock);
            Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
        });
    }

    [Fact]
    public void A_callback_returning_with_a_spin_lock_held_is_LockMisuse_and_the_lock_is_freed_for_the_next_caller()
    {
        using var host = new DriverHost();
        var spinLock = CreateSpinLock(host);
        host.EvtIoRead = (queue, request, length) =>
        {
            WdfSpinLockAcquire(spinLock);
            WdfRequestComplete(request, STATUS_SUCCESS);
        };

        var violation = Expect.Violation("LockMisuse", () => host.Read(1));

        Assert.Contains("returned while still holding", violation.Message);
        Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
        host.Run(() =>
        {
            WdfSpinLockAcquire(spinLock);
            WdfSpinLockRelease(spinLock);
        });
    }

    [Fact]
    public void A_spin_lock_excludes_other_threads_no_increment_is_lost_on_8_threads()
    {
        using var host = new DriverHost();
        var spinLock = CreateSpinLock(host);
        long counter = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => host.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                WdfSpinLockAcquire(spinLock);
                long read = counter;
                counter = read + 1;
                WdfSpinLockRelease(spinLock);
            }
        }));

        Assert.Equal(160_000, counter);
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void A_wdm_spin_lock_works_like_C_and_an_uninitialised_one_is_LockMisuse()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            KeInitializeSpinLock(out var spinLock);
            KeAcquireSpinLock(spinLock, out var old);
            Assert.Equal(PASSIVE_LEVEL, old);
            Assert.Equal(DISPATCH_LEVEL, KeGetCurrentIrql());
            KeReleaseSpinLock(spinLock, old);
            Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());

            Expect.Violation("WrongIrql", () => KeAcquireSpinLockAtDpcLevel(spinLock));
            KeRaiseIrql(DISPATCH_LEVEL, out var passive);
            KeAcquireSpinLockAtDpcLevel(spinLock);
            KeReleaseSpinLockFromDpcLevel(spinLock);
            KeLowerIrql(passive);

            Expect.Violation("LockMisuse", () => KeAcquireSpinLock(default, out _));
            Assert.Equal("KSPIN_LOCK(uninitialized)", default(KSPIN_LOCK).ToString());
        });
    }
}
