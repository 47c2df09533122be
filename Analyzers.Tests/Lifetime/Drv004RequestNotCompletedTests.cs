using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>DRV004: a queue callback path that neither completes, forwards, sends nor keeps its request.</summary>
public class Drv004RequestNotCompletedTests
{
    [Fact]
    public Task EarlyReturnWithoutCompletion_Message() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|#0:EvtIoRead|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if ({|#1:Length == 0|})
                {
                    return;
                }

                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic("DRV004").WithLocation(0).WithLocation(1).WithArguments("Request", "EvtIoRead"));

    [Fact]
    public Task DeviceControlDefaultCaseForgotten() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoDeviceControl|}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                switch (IoControlCode)
                {
                    case 1:
                        WdfRequestComplete(Request, STATUS_SUCCESS);
                        break;
                    default:
                        break;
                }
            }
        }
        """);

    [Fact]
    public Task FailedForwardNotCompleted() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFQUEUE _manualQueue;

            void {|DRV004:EvtIoWrite|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestForwardToIoQueue(Request, _manualQueue);
                if (!NT_SUCCESS(status))
                {
                    return;
                }
            }
        }
        """);

    [Fact]
    public Task FailedSendNotCompleted() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoWrite|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                bool sent = WdfRequestSend(Request, target, WDF_NO_SEND_OPTIONS);
                if (sent == false)
                {
                    NTSTATUS status = WdfRequestGetStatus(Request);
                }
            }
        }
        """);

    [Fact]
    public Task LambdaCallbackForgets() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Register()
            {
                EVT_WDF_IO_QUEUE_IO_WRITE write = {|DRV004:(queue, request, length) =>|}
                {
                    if (length == 0) { return; }
                    WdfRequestComplete(request, STATUS_SUCCESS);
                };
            }
        }
        """);

    [Fact]
    public Task HelperCompletesOnSomePathsOnly() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoRead|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                MaybeFinish(Request, Length);
            }

            static void MaybeFinish(WDFREQUEST request, nuint length)
            {
                if (length > 0)
                {
                    WdfRequestComplete(request, STATUS_SUCCESS);
                }
            }
        }
        """);

    // ---- silent ----

    [Fact]
    public Task StoredInField_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFREQUEST _pending;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                _pending = Request;
            }
        }
        """);

    [Fact]
    public Task StoredInCollection_Silent() => Verify.VerifyAnalyzerAsync("""
        using System.Collections.Generic;

        class Driver
        {
            private readonly List<WDFREQUEST> _pending = new();
            private readonly WDFREQUEST[] _slots = new WDFREQUEST[4];

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if (Length > 0) { _slots[0] = Request; return; }
                _pending.Add(Request);
            }
        }
        """);

    [Fact]
    public Task PassedAsCompletionContext_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFIOTARGET _target;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, _target, out WDFREQUEST newRequest);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfRequestSetCompletionRoutine(newRequest, OnDone, Request);
                if (!WdfRequestSend(newRequest, _target, WDF_NO_SEND_OPTIONS))
                {
                    WdfObjectDelete(newRequest);
                }
            }

            void OnDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                if (Context is WDFREQUEST original)
                {
                    WdfRequestComplete(original, Params.IoStatus.Status);
                }

                WdfObjectDelete(Request);
            }
        }
        """);

    [Fact]
    public Task CapturedByLambda_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private Action? _work;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                _work = () => WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    [Fact]
    public Task ForwardedWithFailureHandled_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFQUEUE _manualQueue;

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestForwardToIoQueue(Request, _manualQueue);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }
            }
        }
        """);

    [Fact]
    public Task HandedToUnknownMethod_Silent() => Verify.VerifyAnalyzerAsync("""
        interface IRequestSink
        {
            void Queue(WDFREQUEST request);
        }

        class Driver
        {
            private readonly IRequestSink _sink;

            Driver(IRequestSink sink) => _sink = sink;

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                _sink.Queue(Request);
            }
        }
        """);

    [Fact]
    public Task NotACallback_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)
            {
            }

            void Helper(WDFQUEUE Queue, WDFREQUEST Request)
            {
            }
        }
        """);

    [Fact]
    public Task LoopForeverWithoutExit_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                while (true)
                {
                    if (Length > 0) { WdfRequestComplete(Request, STATUS_SUCCESS); return; }
                }
            }
        }
        """);

    [Fact]
    public Task SendRetriedInLoopThenCompletedIfNeverSent_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFIOTARGET _target;

            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                int attempts = 0;
                bool sent;
                do
                {
                    WdfRequestSetCompletionRoutine(Request, Done, null);
                    sent = WdfRequestSend(Request, _target, WDF_NO_SEND_OPTIONS);
                    attempts++;
                }
                while (!sent && attempts < 3);

                if (!sent)
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) =>
                WdfRequestComplete(Request, Params.IoStatus.Status);
        }
        """);

    [Fact]
    public Task ContextObjectKeepsRequest_Silent() => Verify.VerifyAnalyzerAsync("""
        using System.Collections.Generic;

        class RequestContext
        {
            public WDFREQUEST Request;
            public PVOID Buffer;
        }

        class Driver
        {
            private readonly Queue<RequestContext> _pending = new();

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 1, out PVOID buffer, out nuint length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                _pending.Enqueue(new RequestContext { Request = Request, Buffer = buffer });
            }

            void OnTimer()
            {
                while (_pending.Count > 0)
                {
                    RequestContext context = _pending.Dequeue();
                    context.Buffer.Write<byte>(0, 1);
                    WdfRequestCompleteWithInformation(context.Request, STATUS_SUCCESS, 1);
                }
            }
        }
        """);

    [Fact]
    public Task CompletedInsideLock_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private readonly object _sync = new();
            private uint _count;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                lock (_sync)
                {
                    buffer.Write<uint>(0, ++_count);
                    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);
                }
            }
        }
        """);

    [Fact]
    public Task VirtualHelper_TreatedAsUnknown_Silent() => Verify.VerifyAnalyzerAsync("""
        using System.Collections.Generic;

        class BaseDriver
        {
            protected virtual void Done(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
        }

        class Driver : BaseDriver
        {
            private readonly List<WDFREQUEST> _parked = new();

            protected override void Done(WDFREQUEST request) => _parked.Add(request);

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Done(Request);
            }

            void Flush()
            {
                foreach (WDFREQUEST parked in _parked)
                {
                    WdfRequestComplete(parked, STATUS_CANCELLED);
                }

                _parked.Clear();
            }
        }
        """);

    [Fact]
    public Task EmptyLambdaCallbackInMethodWithoutRequestCode() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Register(DriverBuffers.Hosting.DriverHost host)
            {
                host.EvtIoRead = {|DRV004:(queue, request, length) =>|} { };
            }
        }
        """);

    [Fact]
    public Task SendResultDropped() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoWrite|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
                WdfRequestSend(Request, WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue)), options);
            }
        }
        """);

    [Fact]
    public Task ForwardStatusDropped() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFQUEUE _manual;

            void {|DRV004:EvtIoRead|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestForwardToIoQueue(Request, _manual);
            }
        }
        """);

    [Fact]
    public Task SendResultReturnedByHelper_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFIOTARGET _target;

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if (!TrySend(Request))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            bool TrySend(WDFREQUEST request)
            {
                WdfRequestSetCompletionRoutine(request, Done, null);
                return WdfRequestSend(request, _target, WDF_NO_SEND_OPTIONS);
            }

            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) =>
                WdfRequestComplete(Request, Params.IoStatus.Status);
        }
        """);

    /// <summary>
    /// DRV004 is about WDF queue callbacks: a WDM dispatch routine that leaves its IRP uncompleted on a path is not one
    /// (the request analysis follows IRPs for DRV002 only).
    /// </summary>
    [Fact]
    public Task WdmDispatchRoutineLeavingItsIrp_NotAQueueCallback_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                if (Irp.MdlAddress == NULL)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);
}
