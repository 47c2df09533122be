using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer>;
using VerifyFix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer,
    DriverBuffers.CodeFixes.Reuse.InsertReuseCodeFixProvider>;

namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>
/// Issue 11: a driver-created request created in one callback, kept in a device context, formatted in an I/O callback
/// with the application request's memory and sent, and the original completed elsewhere (DRV010 across methods); and a
/// starter helper <c>Start(target, original, side)</c> whose completion routine must reuse <c>side</c> first.
/// </summary>
public class HeldRequestAcrossMethodsTests
{
    /// <summary>The SPB test tool's shape: the pair kept in the device context, formatted and sent by the I/O callback.</summary>
    private const string Pair = """
        class DEVICE_CONTEXT { public WDFREQUEST SpbRequest; public WDFREQUEST ClientRequest; public WDFIOTARGET Target; }

        static class Driver
        {
            public static NTSTATUS PrepareHardware(DEVICE_CONTEXT pDevice) =>
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, pDevice.Target, out pDevice.SpbRequest);

            public static void Read(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var fresh, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(pDevice.SpbRequest, fresh);
                pDevice.ClientRequest = FxRequest;
                var status = WdfRequestRetrieveOutputMemory(FxRequest, out var memory);
                if (NT_SUCCESS(status))
                {
                    status = WdfIoTargetFormatRequestForRead(pDevice.Target, pDevice.SpbRequest, memory, null, null);
                    if (NT_SUCCESS(status))
                    {
                        WdfRequestSetCompletionRoutine(pDevice.SpbRequest, OnCompletion, pDevice);
                        if (WdfRequestSend(pDevice.SpbRequest, pDevice.Target, WDF_NO_SEND_OPTIONS))
                        {
                            return;
                        }

                        status = WdfRequestGetStatus(pDevice.SpbRequest);
                    }
                }

                CompletePair(pDevice, status);
            }

            public static void OnCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) =>
                CompletePair((DEVICE_CONTEXT)Context!, Params.IoStatus.Status);

        """;

    [Fact]
    public Task Drv010_ThePendingOriginalCompletedBeforeTheHeldRequestIsReused() => Verify.VerifyAnalyzerAsync(Pair + """
            public static void CompletePair(DEVICE_CONTEXT pDevice, NTSTATUS status)
            {
                WDFREQUEST client = pDevice.ClientRequest;
                pDevice.ClientRequest = WDF_NO_HANDLE;
                {|#0:WdfRequestComplete(client, status)|};

                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                {|#1:WdfRequestReuse(pDevice.SpbRequest, reuse)|};
            }
        }
        """,
        Verify.Diagnostic("DRV010").WithLocation(0).WithLocation(1)
            .WithArguments("client", "WdfRequestComplete", "pDevice.SpbRequest", "formatted by an earlier call; reused only at line 41"));

    [Fact]
    public Task Drv010_FixReusesTheHeldRequestBeforeTheCompletion() => VerifyFix.VerifyCodeFixAsync(Pair + """
            public static void CompletePair(DEVICE_CONTEXT pDevice, NTSTATUS status)
            {
                WDFREQUEST client = pDevice.ClientRequest;
                {|DRV010:WdfRequestComplete(client, status)|};
                WDF_REQUEST_REUSE_PARAMS_INIT(out var later, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(pDevice.SpbRequest, later);
            }
        }
        """, Pair + """
            public static void CompletePair(DEVICE_CONTEXT pDevice, NTSTATUS status)
            {
                WDFREQUEST client = pDevice.ClientRequest;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(pDevice.SpbRequest, reuseParams);
                WdfRequestComplete(client, status);
                WDF_REQUEST_REUSE_PARAMS_INIT(out var later, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(pDevice.SpbRequest, later);
            }
        }
        """);

    [Fact]
    public Task Silent_TheHeldRequestReusedBeforeThePendingOriginalIsCompleted() => Verify.VerifyAnalyzerAsync(Pair + """
            public static void CompletePair(DEVICE_CONTEXT pDevice, NTSTATUS status)
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(pDevice.SpbRequest, reuse);

                WDFREQUEST client = pDevice.ClientRequest;
                pDevice.ClientRequest = WDF_NO_HANDLE;
                WdfRequestComplete(client, status);
            }
        }
        """);

    /// <summary>The request this call received cannot be the one whose memory an earlier call formatted the held request with.</summary>
    [Fact]
    public Task Silent_TheCallbacksOwnRequestCompletedBeforeTheHeldRequestIsReused() => Verify.VerifyAnalyzerAsync(Pair + """
            public static void CompletePair(DEVICE_CONTEXT pDevice, NTSTATUS status) { }

            public static void Write(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
            {
                if (WdfRequestRetrieveInputMemory(FxRequest, out var memory) is var status && !NT_SUCCESS(status))
                {
                    WdfRequestComplete(FxRequest, status);
                    return;
                }

                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(pDevice.SpbRequest, reuse);
                pDevice.ClientRequest = FxRequest;
                WdfIoTargetFormatRequestForWrite(pDevice.Target, pDevice.SpbRequest, memory, null, null);
                WdfRequestSetCompletionRoutine(pDevice.SpbRequest, OnCompletion, pDevice);
                WdfRequestSend(pDevice.SpbRequest, pDevice.Target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    /// <summary>A held request only ever formatted with memory the driver created holds no reference on a request's memory.</summary>
    [Fact]
    public Task Silent_TheHeldRequestIsFormattedOnlyWithDriverMemory() => Verify.VerifyAnalyzerAsync("""
        class DEVICE_CONTEXT { public WDFREQUEST Poll; public WDFREQUEST ClientRequest; public WDFIOTARGET Target; public WDFMEMORY Buffer; }

        static class Driver
        {
            public static void Start(DEVICE_CONTEXT pDevice)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, pDevice.Target, out pDevice.Poll);
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0, 16, out pDevice.Buffer, out _);
                WdfIoTargetFormatRequestForRead(pDevice.Target, pDevice.Poll, pDevice.Buffer, null, null);
                WdfRequestSend(pDevice.Poll, pDevice.Target, WDF_NO_SEND_OPTIONS);
            }

            public static void Done(DEVICE_CONTEXT pDevice)
            {
                WDFREQUEST client = pDevice.ClientRequest;
                WdfRequestComplete(client, STATUS_SUCCESS);
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(pDevice.Poll, reuse);
            }
        }
        """);

    /// <summary>The starter helper's shape: the routine is registered on a parameter every caller fills from the context.</summary>
    private const string Starter = """
        class DEVICE_CONTEXT { public WDFREQUEST Side; public WDFIOTARGET Target; }

        static class Driver
        {
            public static NTSTATUS PrepareHardware(DEVICE_CONTEXT pDevice) =>
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, pDevice.Target, out pDevice.Side);

            public static void Write(DEVICE_CONTEXT pDevice, WDFREQUEST FxRequest)
            {
                var status = Start(pDevice.Target, FxRequest, pDevice.Side);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(FxRequest, status);
                }
            }

            static NTSTATUS Start(WDFIOTARGET Target, WDFREQUEST Original, WDFREQUEST Side)
            {
                var status = WdfRequestRetrieveInputMemory(Original, out var memory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                status = WdfIoTargetFormatRequestForWrite(Target, Side, memory, null, null);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WdfRequestSetCompletionRoutine(Side, OnWriteCompletion, Original);
                if (!WdfRequestSend(Side, Target, WDF_NO_SEND_OPTIONS))
                {
                    status = WdfRequestGetStatus(Side);
                }

                return status;
            }

        """;

    [Fact]
    public Task Drv010_TheStarterHelpersRoutineCompletesTheOriginalBeforeReusingSide() => Verify.VerifyAnalyzerAsync(Starter + """
            public static void OnWriteCompletion(WDFREQUEST Side, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WDFREQUEST original = (WDFREQUEST)Context!;
                {|#0:WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information)|};
            }
        }
        """,
        Verify.Diagnostic("DRV010").WithLocation(0)
            .WithArguments("original", "WdfRequestCompleteWithInformation", "Side", "formatted before it was sent; this is its completion routine"));

    [Fact]
    public Task Silent_TheStarterHelpersRoutineReusesSideFirst() => Verify.VerifyAnalyzerAsync(Starter + """
            public static void OnWriteCompletion(WDFREQUEST Side, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WDFREQUEST original = (WDFREQUEST)Context!;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Side, reuse);
                WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information);
            }
        }
        """);

    /// <summary>A helper given the queue's own request (not a driver-created one) by its caller tells nothing about its routine.</summary>
    [Fact]
    public Task Silent_AStarterGivenTheCallbacksRequestIsNotARoutineOfADriverCreatedRequest() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) =>
                Forward(WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue)), Request);

            static void Forward(WDFIOTARGET Target, WDFREQUEST Request)
            {
                WdfRequestFormatRequestUsingCurrentType(Request);
                WdfRequestSetCompletionRoutine(Request, OnDone, null);
                if (!WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }

            public static void OnDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) =>
                WdfRequestComplete(Request, Params.IoStatus.Status);
        }
        """);

    /// <summary>
    /// Issue 11 (bluetooth/serialhcibus ReadH4Packet): a read pump's helper is handed the device's driver-created request
    /// by every caller, as a parameter. It sets the completion routine once, then reuses and sends the request on each turn
    /// of its loop: the reuse cleared the routine, so the send is flagged (DRV012). Setting it after each reuse is silent.
    /// </summary>
    private const string Pump = """
        class DEVICE_CONTEXT { public WDFREQUEST ReadRequest; public WDFMEMORY ReadMemory; public WDFIOTARGET Target; }

        static class Driver
        {
            public static NTSTATUS PrepareHardware(DEVICE_CONTEXT pDevice) =>
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, pDevice.Target, out pDevice.ReadRequest);

            public static void Start(DEVICE_CONTEXT pDevice) => Pump(pDevice, pDevice.ReadRequest, pDevice.ReadMemory);

            public static void OnRead(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }

        """;

    [Fact]
    public Task Drv012_AHelperHandedTheDriverCreatedRequestReusesAndSendsItWithoutItsRoutine() => Verify.VerifyAnalyzerAsync(Pump + """
            static NTSTATUS Pump(DEVICE_CONTEXT pDevice, WDFREQUEST Request, WDFMEMORY Memory)
            {
                WdfRequestSetCompletionRoutine(Request, OnRead, pDevice);
                for (int i = 0; i < 4; i++)
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    var status = WdfRequestReuse(Request, reuse);
                    if (!NT_SUCCESS(status))
                    {
                        return status;
                    }

                    status = WdfIoTargetFormatRequestForRead(pDevice.Target, Request, Memory, null, null);
                    if (!NT_SUCCESS(status))
                    {
                        return status;
                    }

                    if (!{|DRV012:WdfRequestSend(Request, pDevice.Target, WDF_NO_SEND_OPTIONS)|})
                    {
                        return WdfRequestGetStatus(Request);
                    }
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task Silent_AHelperHandedTheDriverCreatedRequestSetsItsRoutineAfterEachReuse() => Verify.VerifyAnalyzerAsync(Pump + """
            static NTSTATUS Pump(DEVICE_CONTEXT pDevice, WDFREQUEST Request, WDFMEMORY Memory)
            {
                for (int i = 0; i < 4; i++)
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    var status = WdfRequestReuse(Request, reuse);
                    if (!NT_SUCCESS(status))
                    {
                        return status;
                    }

                    status = WdfIoTargetFormatRequestForRead(pDevice.Target, Request, Memory, null, null);
                    if (!NT_SUCCESS(status))
                    {
                        return status;
                    }

                    WdfRequestSetCompletionRoutine(Request, OnRead, pDevice);
                    if (!WdfRequestSend(Request, pDevice.Target, WDF_NO_SEND_OPTIONS))
                    {
                        return WdfRequestGetStatus(Request);
                    }
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>
    /// Issue 11 (bluetooth/serialhcibus FdoWriteDeviceIO): the write request comes from a helper that creates it into its
    /// <c>out</c> parameter, is formatted with the original request's memory, kept in a context and sent; its completion
    /// routine completes the original. The helper's request is driver-created: completing the original before reusing it is
    /// DRV010, completing the held request itself is DRV013.
    /// </summary>
    private const string OutHelper = """
        class WRITE_CONTEXT { public WDFREQUEST Original; public WDFREQUEST Write; }

        static class Driver
        {
            static NTSTATUS AllocateWrite(WDFIOTARGET Target, out WDFREQUEST Request)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                return WdfRequestCreate(attributes, Target, out Request);
            }

            public static NTSTATUS Write(WDFIOTARGET Target, WDFREQUEST Original, WRITE_CONTEXT Context)
            {
                var status = AllocateWrite(Target, out WDFREQUEST write);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                status = WdfRequestRetrieveInputMemory(Original, out var memory);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                status = WdfIoTargetFormatRequestForWrite(Target, write, memory, null, null);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                Context.Original = Original;
                Context.Write = write;
                WdfRequestSetCompletionRoutine(write, OnWriteDone, Context);
                if (!WdfRequestSend(write, Target, WDF_NO_SEND_OPTIONS))
                {
                    status = WdfRequestGetStatus(write);
                }

                return status;
            }

        """;

    [Fact]
    public Task Drv010AndDrv013_ARequestCreatedByAHelpersOutParameterIsDriverCreated() => Verify.VerifyAnalyzerAsync(OutHelper + """
            public static void OnWriteDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var context = (WRITE_CONTEXT)Context!;
                {|DRV010:WdfRequestComplete(context.Original, Params.IoStatus.Status)|};
                WdfObjectDelete(Request);
            }

            public static void Cancel(WRITE_CONTEXT Context)
            {
                {|DRV013:WdfRequestComplete(Context.Write, STATUS_CANCELLED)|};
            }
        }
        """);

    [Fact]
    public Task Silent_ARequestCreatedByAHelpersOutParameterReusedBeforeTheOriginalIsCompleted() => Verify.VerifyAnalyzerAsync(OutHelper + """
            public static void OnWriteDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var context = (WRITE_CONTEXT)Context!;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                WdfRequestComplete(context.Original, Params.IoStatus.Status);
                WdfObjectDelete(Request);
            }

            public static void Cancel(WRITE_CONTEXT Context)
            {
                WdfRequestCancelSentRequest(Context.Write);
            }
        }
        """);
}
