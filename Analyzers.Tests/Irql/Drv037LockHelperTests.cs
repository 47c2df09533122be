using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>
/// DRV037 (issue 14): a spin lock acquired in one method and released in another (lock/unlock helpers wrapping
/// WdfSpinLockAcquire or KeAcquireSpinLock, followed helper_depth calls deep), and a release in one branch that leaves the
/// other branch under the lock.
/// </summary>
public class Drv037LockHelperTests
{
    private const string AllocateNonPaged = "allocate nonpaged pool (POOL_FLAG_NON_PAGED)";

    [Fact]
    public Task FlagsPagedPoolBetweenLockAndUnlockHelpers() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public WDFSPINLOCK Lock;
            public KSPIN_LOCK QueueLock;
            public KIRQL OldIrql;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static void AcquireLock(DEVICE_CONTEXT context) => WdfSpinLockAcquire(context.Lock);

            static void ReleaseLock(DEVICE_CONTEXT context)
            {
                WdfSpinLockRelease(context.Lock);
            }

            static void LockQueue(DEVICE_CONTEXT context)
            {
                KeAcquireSpinLock(context.QueueLock, out var irql);
                context.OldIrql = irql;
            }

            static void UnlockQueue(DEVICE_CONTEXT context) => KeReleaseSpinLock(context.QueueLock, context.OldIrql);

            static void LockBoth(DEVICE_CONTEXT context)
            {
                AcquireLock(context);
            }

            static void Append(DEVICE_CONTEXT context)
            {
                AcquireLock(context);
                var record = {|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 16, Tag)|};
                ReleaseLock(context);
                var late = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                ExFreePoolWithTag(record, Tag);
                ExFreePoolWithTag(late, Tag);
            }

            static void Drain(DEVICE_CONTEXT context)
            {
                LockQueue(context);
                {|#2:PAGED_CODE()|};
                UnlockQueue(context);
                PAGED_CODE();
            }

            static void Nested(DEVICE_CONTEXT context)
            {
                LockBoth(context);
                var block = {|#3:ExAllocatePool2({|#4:POOL_FLAG_PAGED|}, 8, Tag)|};
                ReleaseLock(context);
                ExFreePoolWithTag(block, Tag);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "code under the spin lock acquired by 'AcquireLock' at line 34 (WdfSpinLockAcquire at line 12)",
            AllocateNonPaged),
        Verify.Diagnostic().WithLocation(2).WithArguments(
            "PAGED_CODE() is reached",
            "code under the spin lock acquired by 'LockQueue' at line 44 (KeAcquireSpinLock at line 21)",
            "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)"),
        Verify.Diagnostic().WithLocation(3).WithLocation(4).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "code under the spin lock acquired by 'LockBoth' at line 52 (WdfSpinLockAcquire at line 12)",
            AllocateNonPaged));

    /// <summary>The WDK's correct patterns: a helper that takes and releases its lock, paged work after the unlock helper, the lock taken in no branch.</summary>
    [Fact]
    public Task BalancedHelpersAndWorkAfterTheUnlockAreSilent() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public WDFSPINLOCK Lock;
            public uint Count;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static void AcquireLock(DEVICE_CONTEXT context) => WdfSpinLockAcquire(context.Lock);

            static void ReleaseLock(DEVICE_CONTEXT context) => WdfSpinLockRelease(context.Lock);

            static void Increment(DEVICE_CONTEXT context)
            {
                WdfSpinLockAcquire(context.Lock);
                context.Count++;
                WdfSpinLockRelease(context.Lock);
            }

            static void Work(DEVICE_CONTEXT context)
            {
                Increment(context);
                var block = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
                AcquireLock(context);
                context.Count--;
                ReleaseLock(context);
                PAGED_CODE();
                ExFreePoolWithTag(block, Tag);
            }

            static void Branches(DEVICE_CONTEXT context, bool fast)
            {
                AcquireLock(context);
                if (fast)
                {
                    ReleaseLock(context);
                }
                else
                {
                    context.Count = 0;
                    WdfSpinLockRelease(context.Lock);
                }

                PAGED_CODE();
            }
        }
        """);

    /// <summary>
    /// A release in one branch only ends the region on that branch: after the <c>if</c>, the path that did not release
    /// still holds the lock (before, the release ended the region for both and this was silent).
    /// </summary>
    [Fact]
    public Task FlagsPagedPoolAfterAReleaseInOneBranchOnly() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Record(WDFSPINLOCK Lock, bool early)
            {
                WdfSpinLockAcquire(Lock);
                if (early)
                {
                    WdfSpinLockRelease(Lock);
                    var inBranch = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
                    ExFreePoolWithTag(inBranch, Tag);
                }

                var record = {|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 8, Tag)|};
                if (!early)
                {
                    WdfSpinLockRelease(Lock);
                }

                ExFreePoolWithTag(record, Tag);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "code under the spin lock acquired by WdfSpinLockAcquire at line 7",
            AllocateNonPaged));

    /// <summary>
    /// Code being typed and recursion in the new paths raise nothing (no AD0001): lock helpers that call each other, a
    /// half-written queue creation, config and attribute helpers, device passes and callback properties.
    /// </summary>
    [Fact]
    public Task RecursiveLockHelpersAndHalfWrittenQueuesAreSafe() => new Verify.Test
    {
        TestCode = """
            public sealed class DEVICE_CONTEXT
            {
                public WDFSPINLOCK Lock;
            }

            class Driver
            {
                static void Ping(DEVICE_CONTEXT context) { WdfSpinLockAcquire(context.Lock); Pong(context); }

                static void Pong(DEVICE_CONTEXT context) { Ping(context); }

                static void Caller(DEVICE_CONTEXT context)
                {
                    Ping(context);
                    PAGED_CODE();
                    WdfSpinLockRelease(context.Lock);
                }

                static NTSTATUS QueueInitialize(WDFDEVICE Device)
                {
                    WDF_IO_QUEUE_CONFIG_INIT(out var config, );
                    config.EvtIoRead = ;
                    Fill(config, config);
                    WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                    attributes.ExecutionLevel = WdfExecutionLevelDispatch;
                    QueueInitialize(Device);
                    var timer = new WDF_TIMER_CONFIG { EvtTimerFunc = };
                    return WdfIoQueueCreate(Device, config, attributes, out var
                }

                static void Fill(WDF_IO_QUEUE_CONFIG a, WDF_IO_QUEUE_CONFIG b) { Fill(b, a); a.EvtIoWrite = b.EvtIoWrite; }
            }
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
        ExpectedDiagnostics =
        {
            Verify.Diagnostic().WithSpan(15, 9, 15, 21).WithArguments(
                "PAGED_CODE() is reached",
                "code under the spin lock acquired by 'Ping' at line 14 (WdfSpinLockAcquire at line 8)",
                "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)"),
        },
    }.RunAsync();
}
