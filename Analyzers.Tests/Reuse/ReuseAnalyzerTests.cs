using System.Threading.Tasks;
using DriverBuffers.Analyzers.Reuse;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>DRV010–DRV013: what is flagged, with which message and related location, and what stays silent.</summary>
public class ReuseAnalyzerTests
{
    // ---------------------------------------------------------------- DRV010

    [Fact]
    public Task Drv010_CompletionRoutineCompletesTheOriginalFromItsContext() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var newRequest);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfIoTargetFormatRequestForRead(Target, newRequest, memory, null, null);
                WdfRequestSetCompletionRoutine(newRequest, ReadComplete, Request);
                if (!WdfRequestSend(newRequest, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfObjectDelete(newRequest);
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                }
            }

            void ReadComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                {|#0:WdfRequestCompleteWithInformation((WDFREQUEST)Context!, Params.IoStatus.Status, Params.IoStatus.Information)|};
                WdfObjectDelete(Request);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.MissingReuseBeforeCompletion).WithLocation(0).WithArguments(
            "(WDFREQUEST)Context!", "WdfRequestCompleteWithInformation", "Request",
            "formatted before it was sent; this is its completion routine"));

    [Fact]
    public Task Drv010_SendFailedPathCompletesTheOriginal() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var newRequest);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                {|#1:WdfIoTargetFormatRequestForWrite(Target, newRequest, memory, null, null)|};
                WdfRequestSetCompletionRoutine(newRequest, WriteComplete, Request);
                if (!WdfRequestSend(newRequest, Target, WDF_NO_SEND_OPTIONS))
                {
                    status = WdfRequestGetStatus(newRequest);
                    {|#0:WdfRequestComplete(Request, status)|};
                }
            }

            void WriteComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var status = Params.IoStatus.Status;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                WdfRequestComplete((WDFREQUEST)Context!, status);
                WdfObjectDelete(Request);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.MissingReuseBeforeCompletion).WithLocation(0).WithLocation(1).WithArguments(
            "Request", "WdfRequestComplete", "newRequest", "formatted with 'memory' at line 11"));

    [Fact]
    public Task Drv010_LambdaRoutineCompletesACapturedOriginal() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var newRequest);
                WdfIoTargetFormatRequestForRead(Target, newRequest, memory, null, null);
                WdfRequestSetCompletionRoutine(newRequest, (req, target, p, context) =>
                {
                    {|DRV010:WdfRequestComplete(Request, p.IoStatus.Status)|};
                    WdfObjectDelete(req);
                }, WDF_NO_CONTEXT);
                WdfRequestSend(newRequest, Target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    [Fact]
    public Task Drv010_LocalFunctionRoutineCompletesAFieldHeldOriginal() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFREQUEST Pending;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Pending = Request;
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var newRequest);
                WdfIoTargetFormatRequestForRead(Target, newRequest, memory, null, null);
                WdfRequestSetCompletionRoutine(newRequest, Done, WDF_NO_CONTEXT);
                WdfRequestSend(newRequest, Target, WDF_NO_SEND_OPTIONS);

                void Done(WDFREQUEST req, WDFIOTARGET target, WDF_REQUEST_COMPLETION_PARAMS p, object? context)
                {
                    {|DRV010:WdfRequestComplete(Pending, p.IoStatus.Status)|};
                }
            }
        }
        """);

    [Fact]
    public Task Drv010_RoutineReachedThroughADeviceContextField() => Verify.VerifyAnalyzerAsync("""
        class DeviceContext { public WDFREQUEST Reader; public WDFREQUEST Original; }

        class Driver
        {
            WDFIOTARGET Target;
            DeviceContext Context = new();

            void Start()
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out Context.Reader);
            }

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var ctx = Context;
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                ctx.Original = Request;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(ctx.Reader, reuse);
                WdfIoTargetFormatRequestForRead(Target, ctx.Reader, memory, null, null);
                WdfRequestSetCompletionRoutine(ctx.Reader, ReadDone, ctx);
                WdfRequestSend(ctx.Reader, Target, WDF_NO_SEND_OPTIONS);
            }

            static void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var ctx = (DeviceContext)Context!;
                {|DRV010:WdfRequestComplete(ctx.Original, Params.IoStatus.Status)|};
            }
        }
        """);

    [Fact]
    public Task Drv010_FlagsTheCompletionInsideAnEmbeddedStatement() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                if (Context is WDFREQUEST original)
                    {|DRV010:WdfRequestComplete(original, WdfRequestGetStatus(Request))|};
            }

            void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r);
                WdfIoTargetFormatRequestForRead(target, r, memory, null, null);
                WdfRequestSetCompletionRoutine(r, ReadDone, original);
                WdfRequestSend(r, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    // ---------------------------------------------------------------- DRV011

    [Fact]
    public Task Drv011_FormattedAgainInALoop() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Poll(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                for (var i = 0; i < 4; i++)
                {
                    {|#0:WdfIoTargetFormatRequestForRead(target, request, memory, null, null)|};
                    {|#1:WdfRequestSend(request, target, options)|};
                }

                WdfObjectDelete(request);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.ReformatWithoutReuse).WithLocation(0).WithLocation(1).WithArguments(
            "request", "formatted", "WdfIoTargetFormatRequestForRead", "at line 10"));

    [Fact]
    public Task Drv011_SentTwice() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Twice(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                WdfRequestSend(request, target, options);
                {|#0:WdfRequestSend(request, target, options)|};
                WdfObjectDelete(request);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.ReformatWithoutReuse).WithLocation(0).WithLocation(8, 9).WithArguments(
            "request", "sent", "WdfRequestSend", "at line 8"));

    [Fact]
    public Task Drv011_CompletionRoutineSendsItsRequestAgain() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFMEMORY Buffer;

            void Start()
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var request);
                WdfIoTargetFormatRequestForRead(Target, request, Buffer, null, null);
                WdfRequestSetCompletionRoutine(request, ReadDone, WDF_NO_CONTEXT);
                WdfRequestSend(request, Target, WDF_NO_SEND_OPTIONS);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                {|#0:WdfIoTargetFormatRequestForRead(Target, Request, Buffer, null, null)|};
                WdfRequestSetCompletionRoutine(Request, ReadDone, Context);
                WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.ReformatWithoutReuse).WithLocation(0).WithArguments(
            "Request", "formatted", "WdfIoTargetFormatRequestForRead", "before this completion routine ran"));

    [Fact]
    public Task Drv011_FieldHeldRequestFormattedByALaterCall() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFREQUEST Reader;

            void PrepareHardware()
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var request);
                Reader = request;
            }

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                {|#0:WdfIoTargetFormatRequestForRead(Target, Reader, memory, null, null)|};
                WdfRequestSetCompletionRoutine(Reader, ReadDone, Request);
                WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var status = Params.IoStatus.Status;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                WdfRequestComplete((WDFREQUEST)Context!, status);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.ReformatWithoutReuse).WithLocation(0).WithArguments(
            "Reader", "formatted", "WdfIoTargetFormatRequestForRead", "by an earlier call; the request is kept in a field"));

    // ---------------------------------------------------------------- DRV012

    [Fact]
    public Task Drv012_ReusedInTheLoopButRoutineSetOnlyOnce() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }

            void Stream(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfRequestSetCompletionRoutine(request, Done, WDF_NO_CONTEXT);
                for (var i = 0; i < 4; i++)
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    {|#1:WdfRequestReuse(request, reuse)|};
                    WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                    {|#0:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|};
                }
            }
        }
        """,
        Verify.Diagnostic(Descriptors.ReusedRequestWithoutCompletionRoutine).WithLocation(0).WithLocation(1).WithArguments("request", 12));

    [Fact]
    public Task Drv012_CompletionRoutineReusesAndSendsAgain() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFMEMORY Buffer;

            void Start()
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var request);
                WdfIoTargetFormatRequestForRead(Target, request, Buffer, null, null);
                WdfRequestSetCompletionRoutine(request, ReadDone, WDF_NO_CONTEXT);
                WdfRequestSend(request, Target, WDF_NO_SEND_OPTIONS);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                WdfIoTargetFormatRequestForRead(Target, Request, Buffer, null, null);
                {|DRV012:WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS)|};
            }
        }
        """);

    // ---------------------------------------------------------------- DRV013

    [Fact]
    public Task Drv013_CreatedRequestCompleted() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Probe(WDFIOTARGET target)
            {
                var status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                if (!NT_SUCCESS(status)) return;
                {|#0:WdfRequestComplete(request, STATUS_SUCCESS)|};
            }
        }
        """,
        Verify.Diagnostic(Descriptors.DriverCreatedRequestCompleted).WithLocation(0).WithArguments("request", "WdfRequestComplete"));

    [Fact]
    public Task Drv013_CompletionRoutineCompletesItsOwnRequest() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;

            void Start(WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var request);
                WdfIoTargetFormatRequestForRead(Target, request, memory, null, null);
                WdfRequestSetCompletionRoutine(request, Done, WDF_NO_CONTEXT);
                WdfRequestSend(request, Target, WDF_NO_SEND_OPTIONS);
            }

            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                {|DRV013:WdfRequestCompleteWithPriorityBoost(Request, Params.IoStatus.Status, 0)|};
            }
        }
        """);

    // ---------------------------------------------------------------- silent

    [Theory]
    [InlineData("ReadThroughDriver.cs")]
    [InlineData("SendFailedDriver.cs")]
    [InlineData("SamplingDriver.cs")]
    [InlineData("PollingDriver.cs")]
    [InlineData("ForwardWriteDriver.cs")]
    public Task Silent_CorrectTwinDrivers(string file) => new Verify.Test
    {
        TestCode = Twins.TwinSource.Fixed(file),
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public Task Silent_Scenario5Correct() => Verify.VerifyAnalyzerAsync(Samples.Scenario5Correct);

    [Fact]
    public Task Silent_Scenario2ForwardsTheFrameworkRequest() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) goto End;
                status = WdfIoTargetFormatRequestForRead(ioTarget, Request, memory, null, null);
                if (!NT_SUCCESS(status)) goto End;
                WdfRequestSetCompletionRoutine(Request, RequestCompletionRoutine, WDF_NO_CONTEXT);
                if (!WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS))
                {
                    status = WdfRequestGetStatus(Request);
                    goto End;
                }
                return;
            End:
                WdfRequestComplete(Request, status);
            }

            void RequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
            {
                WdfRequestComplete(Request, CompletionParams.IoStatus.Status);
            }
        }
        """);

    [Fact]
    public Task Silent_DriverOwnedMemoryIsNotTheOriginals() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x64727642, 64, out var memory, out var buffer);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var newRequest);
                WdfIoTargetFormatRequestForRead(Target, newRequest, memory, null, null);
                if (!WdfRequestSend(newRequest, Target, WDF_NO_SEND_OPTIONS))
                {
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_SynchronousSendNeedsNoCompletionRoutine() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }

            void Run(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfRequestSetCompletionRoutine(request, Done, WDF_NO_CONTEXT);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(request, reuse);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                WdfRequestSend(request, target, options);
                WdfObjectDelete(request);
            }
        }
        """);

    [Fact]
    public Task Silent_DeletedBeforeCompletingTheOriginal() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var status = Params.IoStatus.Status;
                WdfObjectDelete(Request);
                WdfRequestComplete((WDFREQUEST)Context!, status);
            }

            void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r);
                WdfIoTargetFormatRequestForRead(target, r, memory, null, null);
                WdfRequestSetCompletionRoutine(r, Done, original);
                WdfRequestSend(r, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    [Fact]
    public Task Silent_RoutinesOfRequestsFormattedWithMemoryTheDriverOwns() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFMEMORY Scratch;

            void Start()
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x68637253, 16, out var scratch, out _);
                Scratch = scratch;
            }

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var viaField);
                WdfIoTargetFormatRequestForRead(Target, viaField, Scratch, null, null);
                WdfRequestSetCompletionRoutine(viaField, ReadDone, Request);
                WdfRequestSend(viaField, Target, WDF_NO_SEND_OPTIONS);

                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x68637253, 16, out var own, out _);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var viaLambda);
                WdfIoTargetFormatRequestForRead(Target, viaLambda, own, null, null);
                WdfRequestSetCompletionRoutine(viaLambda, (r, t, p, c) => WdfRequestComplete(Request, p.IoStatus.Status), null);
                WdfRequestSend(viaLambda, Target, WDF_NO_SEND_OPTIONS);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WdfRequestComplete((WDFREQUEST)Context!, Params.IoStatus.Status);
                WdfObjectDelete(Request);
            }
        }
        """);

    [Fact]
    public Task Silent_AHelperFormatsAFieldRequestThatEveryCallerReusedOrCreated() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFREQUEST Reader;
            WDFMEMORY Buffer;

            void Start()
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x64616552, 64, out Buffer, out _);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out Reader);
                SendRead();
            }

            void SendRead()
            {
                WdfIoTargetFormatRequestForRead(Target, Reader, Buffer, null, null);
                WdfRequestSetCompletionRoutine(Reader, ReadDone, WDF_NO_CONTEXT);
                WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                SendRead();
            }
        }
        """);

    [Fact]
    public Task Drv011_AHelperFormatsAFieldRequestThatOneCallerDidNotReuse() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFREQUEST Reader;
            WDFMEMORY Buffer;

            void Start()
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x64616552, 64, out Buffer, out _);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out Reader);
                SendRead();
            }

            void SendRead()
            {
                {|DRV011:WdfIoTargetFormatRequestForRead(Target, Reader, Buffer, null, null)|};
                WdfRequestSetCompletionRoutine(Reader, ReadDone, WDF_NO_CONTEXT);
                WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                SendRead();
            }
        }
        """);

    [Fact]
    public Task Silent_AFailedFormatTakesNoReference() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var created);
                var status = WdfIoTargetFormatRequestForRead(target, created, memory, null, null);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                if (!NT_SUCCESS(WdfIoTargetFormatRequestForRead(target, created, memory, null, null)))
                {
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                    return;
                }

                {|DRV010:WdfRequestComplete(Request, STATUS_SUCCESS)|};
            }
        }
        """);

    [Fact]
    public Task Silent_ARoutineSharedWithFrameworkRequestsIsNotADriverCreatedRequestsRoutine() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Shared(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WdfRequestComplete(Request, Params.IoStatus.Status);
            }

            void Forward(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfIoTargetFormatRequestForRead(target, Request, memory, null, null);
                WdfRequestSetCompletionRoutine(Request, Shared, WDF_NO_CONTEXT);
                WdfRequestSend(Request, target, WDF_NO_SEND_OPTIONS);
            }

            void Probe(WDFIOTARGET target)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var created);
                WdfRequestSetCompletionRoutine(created, new EVT_WDF_REQUEST_COMPLETION_ROUTINE(Shared), WDF_NO_CONTEXT);
                WdfRequestSend(created, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    [Fact]
    public Task Silent_WhereSuppressed() => Verify.VerifyAnalyzerAsync("""
        using System.Diagnostics.CodeAnalysis;

        class Driver
        {
            void Probe(WDFIOTARGET target)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
        #pragma warning disable DRV013
                WdfRequestComplete(request, STATUS_SUCCESS);
        #pragma warning restore DRV013
            }

            [SuppressMessage("DriverBuffers.Reuse", "DRV013")]
            void Probe2(WDFIOTARGET target)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfRequestComplete(request, STATUS_SUCCESS);
            }
        }
        """);

    [Fact]
    public Task Silent_InGeneratedCode() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("Driver.g.cs", """
                    // <auto-generated/>
                    class Driver
                    {
                        void Probe(WDFIOTARGET target)
                        {
                            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                            WdfRequestComplete(request, STATUS_SUCCESS);
                        }
                    }
                    """),
            },
        },
    }.RunAsync();

    // ---------------------------------------------------------------- robustness

    [Fact]
    public Task Robust_CodeBeingTyped() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
                {
                    WdfRequestComplete((WDFREQUEST)Context!, 
                }

                void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory)
                {
                    WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r
                    WdfIoTargetFormatRequestForRead(target, r, memory, null, 
                    WdfRequestSetCompletionRoutine(r, Done, original);
                    WdfRequestSetCompletionRoutine(r, (a, b) => WdfRequestComplete(original, default), original);
                    WdfRequestSend(r, target, 
                    WdfRequestReuse(, );
                    WdfRequestComplete(
                    for (;;) { WdfIoTargetFormatRequestForRead(target, r, memory, null, null); WdfRequestSend(r, target, null); 
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();

    [Fact]
    public Task Robust_LongExpressionChains()
    {
        var sum = string.Join(" + ", System.Linq.Enumerable.Repeat("(int)Length", 3000));
        return new Verify.Test
        {
            TestCode = "class Driver { void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) { "
                + "var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue)); WdfRequestRetrieveOutputMemory(Request, out var memory); "
                + "WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r); WdfIoTargetFormatRequestForRead(target, r, memory, null, null); "
                + "var total = " + sum + "; "
                + "if (total > 0) {|DRV010:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, (nuint)(" + sum + "))|}; } }",
        }.RunAsync();
    }

    [Fact]
    public Task Robust_DeeplyNestedLambdasAndLoops()
    {
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            body.Append("WdfRequestSetCompletionRoutine(r, (q" + i + ", t" + i + ", p" + i + ", c" + i + ") => { while (true) { ");
        }

        body.Append("WdfRequestComplete(original, STATUS_SUCCESS);");
        for (var i = 0; i < 40; i++)
        {
            body.Append(" } }, null);");
        }

        return new Verify.Test
        {
            TestCode = "class Driver { void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory) { WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r); WdfIoTargetFormatRequestForRead(target, r, memory, null, null); "
                + body + " } }",
            CompilerDiagnostics = CompilerDiagnostics.None,
        }.RunAsync();
    }
}
