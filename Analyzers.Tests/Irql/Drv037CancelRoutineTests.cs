using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>
/// DRV037 in a request's cancel routine: KMDF calls an <c>EvtRequestCancel</c> given to <c>WdfRequestMarkCancelable(Ex)</c>
/// at IRQL &lt;= DISPATCH_LEVEL (from whatever cancels the request: an application's CancelIo at PASSIVE_LEVEL, a DPC, or
/// under the queue's spin lock when the queue has a synchronization scope), so it must not touch paged pool or reach
/// <c>PAGED_CODE()</c>. The echo sample's cancel routine (nonpaged state, under the context's lock) stays silent.
/// </summary>
public class Drv037CancelRoutineTests
{
    [Fact]
    public Task FlagsPagedPoolReadInACancelRoutine() => Verify.VerifyAnalyzerAsync("""
        public sealed class QUEUE_CONTEXT
        {
            public PVOID Statistics;
            public WDFREQUEST? CurrentRequest;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static QUEUE_CONTEXT QueueGetContext(WDFOBJECT o) => WdfObjectGetTypedContext<QUEUE_CONTEXT>(o);

            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit, WDFQUEUE queue)
            {
                QueueGetContext(queue).Statistics = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                return STATUS_SUCCESS;
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                QueueGetContext(Queue).CurrentRequest = Request;
                WdfRequestMarkCancelable(Request, EvtRequestCancel);
            }

            static void EvtRequestCancel(WDFREQUEST Request)
            {
                var context = QueueGetContext(WdfRequestGetIoQueue(Request));
                uint canceled = {|#0:context.Statistics.Read<uint>(0)|};
                context.Statistics.Write<uint>(0, canceled + 1);
                context.CurrentRequest = null;
                WdfRequestCompleteWithInformation(Request, STATUS_CANCELLED, 0);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "'context.Statistics' is paged pool (allocated at line 15) and is read",
            "the cancel routine 'EvtRequestCancel' (registered by WdfRequestMarkCancelable at line 22)",
            "keep this memory in nonpaged pool (POOL_FLAG_NON_PAGED), or touch it at PASSIVE_LEVEL (a work item)"));

    [Fact]
    public Task FlagsPagedCodeReachedFromACancelRoutineGivenToMarkCancelableEx() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfRequestMarkCancelableEx(Request, OnCancel);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }
            }

            static void OnCancel(WDFREQUEST Request)
            {
                {|#0:LogCancel()|};
                WdfRequestComplete(Request, STATUS_CANCELLED);
            }

            static void LogCancel()
            {
                PAGED_CODE();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "'LogCancel' reaches PAGED_CODE() (line 20)",
            "the cancel routine 'OnCancel' (registered by WdfRequestMarkCancelableEx at line 5)",
            "call it at PASSIVE_LEVEL (a work item), or make it safe above APC_LEVEL"));

    /// <summary>The echo sample's shape: the cancel routine takes the context's lock and touches nonpaged state only.</summary>
    [Fact]
    public Task ACancelRoutineOnNonpagedStateIsSilent() => Verify.VerifyAnalyzerAsync("""
        public sealed class QUEUE_CONTEXT
        {
            public WDFSPINLOCK Lock;
            public WDFREQUEST? CurrentRequest;
            public NTSTATUS CurrentStatus;
            public PVOID Buffer;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static QUEUE_CONTEXT QueueGetContext(WDFOBJECT o) => WdfObjectGetTypedContext<QUEUE_CONTEXT>(o);

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PAGED_CODE();
                var context = QueueGetContext(Queue);
                context.Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
                WdfRequestMarkCancelable(Request, EchoEvtRequestCancel);
                context.CurrentRequest = Request;
                context.CurrentStatus = STATUS_SUCCESS;
            }

            static void EchoEvtRequestCancel(WDFREQUEST Request)
            {
                var context = QueueGetContext(WdfRequestGetIoQueue(Request));
                WdfSpinLockAcquire(context.Lock);
                context.Buffer.Write<uint>(0, 0);
                if (context.CurrentRequest != null)
                {
                    context.CurrentRequest = null;
                    WdfRequestComplete(Request, STATUS_CANCELLED);
                }
                WdfSpinLockRelease(context.Lock);
            }
        }
        """);
}
