using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// DRV002 on WDM IRPs: <c>IoCompleteRequest</c> completes, <c>IoCallDriver</c> passes the IRP to the lower driver,
/// <c>IoMarkIrpPending</c> keeps it; helpers' completions apply at their call sites, with the status they return.
/// </summary>
public class Drv002IrpTests
{
    [Fact]
    public Task DispatchRoutineCompletesTwice_MessageAndAdditionalLocation() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                Irp.IoStatus.Status = STATUS_SUCCESS;
                {|#1:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                {|#0:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic("DRV002").WithLocation(0).WithLocation(1)
            .WithArguments("IRP", "Irp", "IoCompleteRequest", "6", "IoCompleteRequest"));

    [Fact]
    public Task ErrorPathCompletesAndFallsThroughToTheCommonCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = STATUS_SUCCESS;
                IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
                if (stack.Parameters.DeviceIoControl.OutputBufferLength < 4)
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                    Irp.IoStatus.Status = status;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                }

                Irp.IoStatus.Status = status;
                {|DRV002:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                return status;
            }
        }
        """);

    [Fact]
    public Task CompletedEachOnItsOwnPath_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
                if (stack.Parameters.Read.Length < 4)
                {
                    Irp.IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_BUFFER_TOO_SMALL;
                }

                Irp.IoStatus.Information = 4;
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task HelperCompletesAndTheCallerCompletesAfter() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                Fail(Irp, STATUS_INVALID_PARAMETER);
                {|DRV002:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                return STATUS_INVALID_PARAMETER;
            }

            static void Fail(IRP irp, NTSTATUS status)
            {
                irp.IoStatus.Status = status;
                irp.IoStatus.Information = 0;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
            }
        }
        """);

    /// <summary>The WDK's pass-through: IoSkipCurrentIrpStackLocation and IoCallDriver; the lower driver completes the IRP.</summary>
    [Fact]
    public Task PassedDownWithIoCallDriverAndNeverCompleted_Silent() => Verify.VerifyAnalyzerAsync("""
        class Filter
        {
            public DEVICE_OBJECT LowerDevice = null!;

            NTSTATUS DispatchPassThrough(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(LowerDevice, Irp);
            }
        }
        """);

    /// <summary>Passed down without a completion routine: the lower driver completes the IRP, and so does this driver.</summary>
    [Fact]
    public Task CompletedAfterPassingItDown() => Verify.VerifyAnalyzerAsync("""
        class Filter
        {
            public DEVICE_OBJECT LowerDevice = null!;

            NTSTATUS DispatchPower(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IoSkipCurrentIrpStackLocation(Irp);
                NTSTATUS status = {|#1:IoCallDriver(LowerDevice, Irp)|};
                Irp.IoStatus.Status = status;
                {|#0:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                return status;
            }
        }
        """,
        Verify.Diagnostic("DRV002").WithLocation(0).WithLocation(1)
            .WithArguments("IRP", "Irp", "IoCompleteRequest", "8", "IoCallDriver"));

    [Fact]
    public Task CompletedThenPassedDown() => Verify.VerifyAnalyzerAsync("""
        class Filter
        {
            public DEVICE_OBJECT LowerDevice = null!;

            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                if (Irp.MdlAddress == NULL)
                {
                    Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                }

                IoSkipCurrentIrpStackLocation(Irp);
                return {|DRV002:IoCallDriver(LowerDevice, Irp)|};
            }
        }
        """);

    /// <summary>IoForwardIrpSynchronously gives the IRP back once the lower driver is done: the driver completes it.</summary>
    [Fact]
    public Task ForwardedSynchronouslyThenCompleted_Silent() => Verify.VerifyAnalyzerAsync("""
        class Filter
        {
            NTSTATUS DispatchStartDevice(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IoForwardIrpSynchronously(DeviceObject, Irp);
                NTSTATUS status = Irp.IoStatus.Status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        }
        """);

    [Fact]
    public Task HelperPassesItDownAndTheCallerCompletes() => Verify.VerifyAnalyzerAsync("""
        class Filter
        {
            public DEVICE_OBJECT LowerDevice = null!;

            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = PassDown(Irp);
                if (!NT_SUCCESS(status))
                {
                    Irp.IoStatus.Status = status;
                    {|DRV002:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                }

                return status;
            }

            NTSTATUS PassDown(IRP Irp)
            {
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(LowerDevice, Irp);
            }
        }
        """);

    /// <summary>
    /// The WDK's forward-and-complete pattern: a completion routine that returns STATUS_MORE_PROCESSING_REQUIRED gives the
    /// IRP back, and the dispatch routine completes it after IoCallDriver.
    /// </summary>
    [Fact]
    public Task CompletionRoutineReturnsMoreProcessingRequired_DispatchCompletesAfter_Silent() => Verify.VerifyAnalyzerAsync("""
        class Filter
        {
            public DEVICE_OBJECT LowerDevice = null!;

            NTSTATUS DispatchStartDevice(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, StartCompletion, null, TRUE, TRUE, TRUE);
                NTSTATUS status = IoCallDriver(LowerDevice, Irp);
                status = Irp.IoStatus.Status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }

            static NTSTATUS StartCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
            {
                return STATUS_MORE_PROCESSING_REQUIRED;
            }
        }
        """);

    /// <summary>The same pattern with the stack location copied and the routine set by a helper.</summary>
    [Fact]
    public Task CompletionRoutineSetByAHelper_DispatchCompletesAfter_Silent() => Verify.VerifyAnalyzerAsync("""
        class Filter
        {
            public DEVICE_OBJECT LowerDevice = null!;

            NTSTATUS DispatchStartDevice(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PrepareForward(Irp);
                NTSTATUS status = IoCallDriver(LowerDevice, Irp);
                status = Irp.IoStatus.Status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }

            static void PrepareForward(IRP Irp)
            {
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, StartCompletion, null, TRUE, TRUE, TRUE);
            }

            static NTSTATUS StartCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context) => STATUS_MORE_PROCESSING_REQUIRED;
        }
        """);

    /// <summary>The WDK's cancel sample: IoMarkIrpPending, queue the IRP, return STATUS_PENDING; another thread completes it.</summary>
    [Fact]
    public Task MarkedPendingQueuedAndReturnedPending_Silent() => Verify.VerifyAnalyzerAsync("""
        using System.Collections.Generic;

        class Driver
        {
            readonly List<IRP> _queue = new();

            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                IoMarkIrpPending(Irp);
                _queue.Add(Irp);
                return STATUS_PENDING;
            }

            void PollingThread()
            {
                while (_queue.Count > 0)
                {
                    IRP irp = _queue[0];
                    _queue.RemoveAt(0);
                    irp.IoStatus.Status = STATUS_SUCCESS;
                    IoCompleteRequest(irp, IO_NO_INCREMENT);
                }
            }
        }
        """);

    /// <summary>
    /// The WDK cancel sample's polling thread, buggy: CsampPollDevice completes the IRP when the device answered (and
    /// returns STATUS_SUCCESS), and the thread completes it again after the loop. Polling again while it is pending is right.
    /// </summary>
    [Fact]
    public Task PollingHelperCompletesOnSuccessAndTheLoopCompletesInItsFinally() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            public bool Stop;

            void PollingThread(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS Status = STATUS_PENDING;
                try
                {
                    for (;;)
                    {
                        Status = PollDevice(DeviceObject, Irp);
                        if (Status != STATUS_PENDING)
                        {
                            break;
                        }

                        if (Stop)
                        {
                            Status = STATUS_CANCELLED;
                            return;
                        }
                    }
                }
                finally
                {
                    Irp.IoStatus.Status = Status;
                    {|DRV002:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                }
            }

            static NTSTATUS PollDevice(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID input = Irp.AssociatedIrp.SystemBuffer;
                uint data = input.Read<uint>(0);
                input.Write<uint>(0, data - 1);
                if (data <= 0)
                {
                    Irp.IoStatus.Information = 4;
                    Irp.IoStatus.Status = STATUS_SUCCESS;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_SUCCESS;
                }

                return STATUS_PENDING;
            }
        }
        """);

    /// <summary>The caller completes only where the helper returned STATUS_PENDING, that is where it did not complete.</summary>
    [Fact]
    public Task CallerCompletesOnlyWhenTheHelperReturnedPending_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            public bool Stop;

            void PollingThread(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status;
                for (;;)
                {
                    status = PollDevice(Irp);
                    if (status != STATUS_PENDING)
                    {
                        return;
                    }

                    if (Stop)
                    {
                        break;
                    }
                }

                Irp.IoStatus.Status = STATUS_CANCELLED;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
            }

            static NTSTATUS PollDevice(IRP Irp)
            {
                NTSTATUS status = STATUS_PENDING;
                if (Irp.IoStatus.Information > 0)
                {
                    Irp.IoStatus.Status = STATUS_SUCCESS;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    status = STATUS_SUCCESS;
                }

                return status;
            }
        }
        """);

    [Fact]
    public Task CallerCompletesOnTheWrongSideOfTheReturnedStatus() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = TryAnswer(Irp);
                if (status != STATUS_PENDING)
                {
                    Irp.IoStatus.Status = status;
                    {|DRV002:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                }

                return status;
            }

            static NTSTATUS TryAnswer(IRP Irp)
            {
                if (Irp.IoStatus.Information == 0)
                {
                    IoMarkIrpPending(Irp);
                    return STATUS_PENDING;
                }

                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>A validating helper that fails the IRP itself: the caller completes only on success (NT_SUCCESS of the returned status).</summary>
    [Fact]
    public Task HelperCompletesOnFailureAndTheCallerOnlyOnSuccess_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = Validate(Irp);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static NTSTATUS Validate(IRP Irp)
            {
                IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
                if (stack.Parameters.Write.Length < 4)
                {
                    Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_INVALID_PARAMETER;
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task HelperCompletesOnFailureAndTheCallerCompletesOnFailureToo() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                NTSTATUS status = Validate(Irp);
                Irp.IoStatus.Status = status;
                if (!NT_SUCCESS(status))
                {
                    {|DRV002:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                    return status;
                }

                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static NTSTATUS Validate(IRP Irp)
            {
                IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
                if (stack.Parameters.Write.Length < 4)
                {
                    Irp.IoStatus.Status = STATUS_INVALID_PARAMETER;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_INVALID_PARAMETER;
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>The helper's result tested where it is made, and a bool helper: the same correlation.</summary>
    [Fact]
    public Task ResultsTestedWhereTheyAreMade_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                if (TryAnswer(Irp) == STATUS_PENDING)
                {
                    Irp.IoStatus.Status = STATUS_CANCELLED;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                }

                return STATUS_SUCCESS;
            }

            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                if (!Answered(Irp))
                {
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                }

                return STATUS_SUCCESS;
            }

            static NTSTATUS TryAnswer(IRP Irp)
            {
                if (Irp.IoStatus.Information == 0)
                {
                    return STATUS_PENDING;
                }

                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static bool Answered(IRP Irp)
            {
                if (Irp.IoStatus.Information == 0)
                {
                    return false;
                }

                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return true;
            }
        }
        """);

    /// <summary>Through a second helper level: the outer helper returns the inner one's status.</summary>
    [Fact]
    public Task StatusReturnedThroughTwoHelperLevels() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Poll(IRP Irp)
            {
                NTSTATUS status = Outer(Irp);
                if (status == STATUS_PENDING)
                {
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                }
                else
                {
                    {|DRV002:IoCompleteRequest(Irp, IO_NO_INCREMENT)|};
                }
            }

            static NTSTATUS Outer(IRP Irp) => Inner(Irp);

            static NTSTATUS Inner(IRP Irp)
            {
                if (Irp.IoStatus.Information == 0)
                {
                    return STATUS_PENDING;
                }

                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>Cleanup completes every queued IRP, each once: a collection's elements are different IRPs.</summary>
    [Fact]
    public Task EveryQueuedIrpCompletedOnce_Silent() => Verify.VerifyAnalyzerAsync("""
        using System.Collections.Generic;

        class Driver
        {
            readonly List<IRP> _queue = new();
            readonly IRP[] _held = new IRP[4];

            NTSTATUS DispatchCleanup(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                foreach (IRP pending in _queue)
                {
                    pending.IoStatus.Status = STATUS_CANCELLED;
                    IoCompleteRequest(pending, IO_NO_INCREMENT);
                }

                _queue.Clear();
                for (int i = 0; i < _held.Length; i++)
                {
                    if (_held[i] != null)
                    {
                        IoCompleteRequest(_held[i], IO_NO_INCREMENT);
                        _held[i] = null!;
                    }
                }

                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);
}
