using System.Threading;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Synchronization;

/// <summary>WDF wait locks: PASSIVE_LEVEL waits, zero timeouts, and self-deadlock reported.</summary>
public class WaitLockTests
{
    [Fact]
    public void A_wait_lock_is_taken_and_released_and_a_zero_timeout_fails_while_another_thread_holds_it()
    {
        using var host = new DriverHost();
        var waitLock = host.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, out var created));
            Assert.Equal(STATUS_SUCCESS, WdfWaitLockAcquire(created, NULL));
            return created;
        });

        var other = OtherThread<NTSTATUS>.Start(() => host.Run(() => WdfWaitLockAcquire(waitLock, 0)));
        Assert.Equal(STATUS_TIMEOUT, other.Join());

        host.Run(() => WdfWaitLockRelease(waitLock));
        var afterRelease = OtherThread<NTSTATUS>.Start(() => host.Run(() =>
        {
            var status = WdfWaitLockAcquire(waitLock, 0);
            WdfWaitLockRelease(waitLock);
            return status;
        }));
        Assert.Equal(STATUS_SUCCESS, afterRelease.Join());
    }

    [Fact]
    public void Waiting_for_a_wait_lock_the_thread_holds_is_LockMisuse_and_waiting_above_PASSIVE_LEVEL_is_WrongIrql()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, out var waitLock);
            WdfWaitLockAcquire(waitLock, NULL);
            Expect.Violation("LockMisuse", () => WdfWaitLockAcquire(waitLock, NULL));
            WdfWaitLockRelease(waitLock);
            Expect.Violation("LockMisuse", () => WdfWaitLockRelease(waitLock));

            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            Expect.Violation("WrongIrql", () => WdfWaitLockAcquire(waitLock, NULL));
            Assert.Equal(STATUS_SUCCESS, WdfWaitLockAcquire(waitLock, 0));
            WdfWaitLockRelease(waitLock);
            KeLowerIrql(old);
        });
    }

    [Fact]
    public void A_waiter_gets_the_lock_when_the_holder_releases_it()
    {
        using var host = new DriverHost();
        var waitLock = host.Run(() =>
        {
            WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, out var created);
            WdfWaitLockAcquire(created, NULL);
            return created;
        });
        using var started = new ManualResetEventSlim();
        var waiter = OtherThread<NTSTATUS>.Start(() => host.Run(() =>
        {
            started.Set();
            var status = WdfWaitLockAcquire(waitLock, NULL);
            WdfWaitLockRelease(waitLock);
            return status;
        }));
        started.Wait();

        host.Run(() => WdfWaitLockRelease(waitLock));

        Assert.Equal(STATUS_SUCCESS, waiter.Join());
        Assert.Empty(host.Violations);
    }
}
