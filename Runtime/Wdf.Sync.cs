using DriverBuffers.Framework;
using DriverBuffers.Synchronization;
using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>Framework spin locks (DISPATCH_LEVEL) and wait locks (PASSIVE_LEVEL).</summary>
public static partial class Wdf
{
    /// <summary>Creates a spin lock (parent: the attributes' parent, else the driver).</summary>
    public static NTSTATUS WdfSpinLockCreate(WDF_OBJECT_ATTRIBUTES? SpinLockAttributes, out WDFSPINLOCK SpinLock)
    {
        var status = CreateObject(SpinLockAttributes, nameof(WdfSpinLockCreate), runtime => new WdfSpinLockObject(runtime), out var spinLock);
        SpinLock = new WDFSPINLOCK(spinLock);
        return status;
    }

    /// <summary>Acquires the spin lock, raising the IRQL to DISPATCH_LEVEL (the release restores it). Acquiring it twice on one thread is LockMisuse.</summary>
    public static void WdfSpinLockAcquire(WDFSPINLOCK SpinLock)
    {
        var spinLock = HandleValidation.Use(SpinLock.Object, nameof(WdfSpinLockAcquire), SpinLock.ToString());
        spinLock?.Core.Acquire(spinLock.Runtime, nameof(WdfSpinLockAcquire), atDpcLevel: false, out _);
    }

    /// <summary>Releases the spin lock and restores the IRQL it was acquired at. Releasing a lock this thread does not hold is LockMisuse.</summary>
    public static void WdfSpinLockRelease(WDFSPINLOCK SpinLock)
    {
        var spinLock = HandleValidation.Use(SpinLock.Object, nameof(WdfSpinLockRelease), SpinLock.ToString());
        if (spinLock is null)
        {
            return;
        }
        var restore = spinLock.Core.SavedIrql;
        if (spinLock.Core.Release(spinLock.Runtime, nameof(WdfSpinLockRelease)))
        {
            ThreadIrql.Set(restore);
        }
    }

    /// <summary>Creates a wait lock (parent: the attributes' parent, else the driver).</summary>
    public static NTSTATUS WdfWaitLockCreate(WDF_OBJECT_ATTRIBUTES? LockAttributes, out WDFWAITLOCK Lock)
    {
        var status = CreateObject(LockAttributes, nameof(WdfWaitLockCreate), runtime => new WdfWaitLockObject(runtime), out var waitLock);
        Lock = new WDFWAITLOCK(waitLock);
        return status;
    }

    /// <summary>
    /// Acquires the wait lock. <paramref name="Timeout"/> NULL waits (PASSIVE_LEVEL only), 0 only tries (any IRQL up to
    /// DISPATCH_LEVEL); STATUS_TIMEOUT if it was not acquired. Acquiring it again on the thread that holds it is LockMisuse.
    /// </summary>
    public static NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK Lock, long? Timeout)
    {
        const string ddi = nameof(WdfWaitLockAcquire);
        var waitLock = HandleValidation.Use(Lock.Object, ddi, Lock.ToString());
        if (waitLock is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        if (!ThreadIrql.Check(Timeout == 0 ? KIRQL.DISPATCH_LEVEL : KIRQL.PASSIVE_LEVEL, ddi, waitLock.HandleName))
        {
            return STATUS_TIMEOUT;
        }
        return waitLock.Acquire(Timeout, ddi);
    }

    /// <summary>Releases the wait lock.</summary>
    public static void WdfWaitLockRelease(WDFWAITLOCK Lock) =>
        HandleValidation.Use(Lock.Object, nameof(WdfWaitLockRelease), Lock.ToString())?.Release(nameof(WdfWaitLockRelease));
}
