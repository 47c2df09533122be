using System.Threading.Tasks;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer>;
using VerifyFix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer,
    DriverBuffers.CodeFixes.Reuse.InsertReuseCodeFixProvider>;

namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>Helpers that complete, reuse, format or send the request they are given count at their call site.</summary>
public class ReuseHelperTests
{
    private const string Routine = """
        class Driver
        {
            static void CompleteOriginal(WDFREQUEST original, NTSTATUS status) => Finish(original, status);

            static void Finish(WDFREQUEST request, NTSTATUS status) => WdfRequestComplete(request, status);

            static void Recycle(WDFREQUEST request)
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(request, reuse);
            }

            void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r);
                WdfIoTargetFormatRequestForRead(target, r, memory, null, null);
                WdfRequestSetCompletionRoutine(r, ReadDone, original);
                WdfRequestSend(r, target, WDF_NO_SEND_OPTIONS);
            }

        """;

    [Fact]
    public Task Drv010_AHelperTwoCallsDeepCompletesTheOriginal() => Verify.VerifyAnalyzerAsync(Routine + """
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                {|#0:CompleteOriginal((WDFREQUEST)Context!, Params.IoStatus.Status)|};
            }
        }
        """,
        Verify.Diagnostic(Descriptors.MissingReuseBeforeCompletion).WithLocation(0).WithArguments(
            "(WDFREQUEST)Context!", "CompleteOriginal", "Request", "formatted before it was sent; this is its completion routine"));

    [Fact]
    public Task Drv010_FixInsertsTheReuseBeforeTheHelperCall() => VerifyFix.VerifyCodeFixAsync(Routine + """
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                {|DRV010:CompleteOriginal((WDFREQUEST)Context!, Params.IoStatus.Status)|};
            }
        }
        """, Routine + """
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var status = Params.IoStatus.Status;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuseParams);
                CompleteOriginal((WDFREQUEST)Context!, status);
            }
        }
        """);

    [Fact]
    public Task Silent_AHelperReusesFirst() => Verify.VerifyAnalyzerAsync(Routine + """
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var status = Params.IoStatus.Status;
                Recycle(Request);
                CompleteOriginal((WDFREQUEST)Context!, status);
            }
        }
        """);

    [Fact]
    public Task Silent_WhenHelperSummariesAreTurnedOff() => new Verify.Test
    {
        TestCode = Routine + """
                void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
                {
                    CompleteOriginal((WDFREQUEST)Context!, Params.IoStatus.Status);
                }
            }
            """,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = 0") } },
    }.RunAsync();

    [Fact]
    public Task Drv011_AHelperFormatsAndSendsEachTime() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void ReadOnce(WDFIOTARGET target, WDFREQUEST request, WDFMEMORY memory)
            {
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                WdfRequestSend(request, target, options);
            }

            void Poll(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                ReadOnce(target, request, memory);
                {|#0:ReadOnce(target, request, memory)|};
                WdfObjectDelete(request);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.ReformatWithoutReuse).WithLocation(0).WithLocation(13, 9).WithArguments(
            "request", "formatted", "ReadOnce", "at line 13"));

    [Fact]
    public Task Drv010_AParameterlessHelperCompletesThePendingOriginal() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFREQUEST Pending;
            WDFREQUEST Reader;
            WDFIOTARGET Target;

            void FinishPending(NTSTATUS status) => WdfRequestComplete(Pending, status);

            void Recycle()
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Reader, reuse);
            }

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                Pending = Request;
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out var created);
                Reader = created;
                WdfIoTargetFormatRequestForRead(Target, Reader, memory, null, null);
                WdfRequestSetCompletionRoutine(Reader, ReadDone, WDF_NO_CONTEXT);
                WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                if (!NT_SUCCESS(Params.IoStatus.Status))
                {
                    {|#0:FinishPending(Params.IoStatus.Status)|};
                    return;
                }

                Recycle();
                FinishPending(STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic(Descriptors.MissingReuseBeforeCompletion).WithLocation(0).WithArguments(
            "Pending", "FinishPending", "Request", "formatted before it was sent; this is its completion routine"));

    [Fact]
    public Task Drv013_AHelperCompletesADriverCreatedRequest() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Finish(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);

            void Probe(WDFIOTARGET target)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                {|DRV013:Finish(request)|};
            }
        }
        """);
}
