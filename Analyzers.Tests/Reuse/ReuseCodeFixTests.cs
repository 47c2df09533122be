using System.Threading.Tasks;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer,
    DriverBuffers.CodeFixes.Reuse.InsertReuseCodeFixProvider>;
using VerifyDelete = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer,
    DriverBuffers.CodeFixes.Reuse.DeleteInsteadOfCompleteCodeFixProvider>;

namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>
/// The reuse fixes, each checked one diagnostic at a time, with Fix All in the document and in the project
/// (the verifier runs all three), and compiled after the fix.
/// </summary>
public class ReuseCodeFixTests
{
    private const string Send = """

            void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r);
                WdfIoTargetFormatRequestForRead(target, r, memory, null, null);
                WdfRequestSetCompletionRoutine(r, ReadDone, original);
                WdfRequestSend(r, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """;

    // ---------------------------------------------------------------- DRV010

    [Fact]
    public Task Drv010_ReadsTheCompletionParametersBeforeTheReuse() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                // Hand the data to the application.
                {|DRV010:WdfRequestCompleteWithInformation((WDFREQUEST)Context!, Params.IoStatus.Status, Params.IoStatus.Information)|}; // done
                WdfObjectDelete(Request);
            }
        """ + Send, """
        class Driver
        {
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                // Hand the data to the application.
                var status = Params.IoStatus.Status;
                var information = Params.IoStatus.Information;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuseParams);
                WdfRequestCompleteWithInformation((WDFREQUEST)Context!, status, information); // done
                WdfObjectDelete(Request);
            }
        """ + Send);

    [Fact]
    public Task Drv010_NewNamesDoNotClash() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            int reuseParams;

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var status = STATUS_SUCCESS;
                {|DRV010:WdfRequestComplete((WDFREQUEST)Context!, Params.IoStatus.Status)|};
                if (reuseParams > 0) { var status1 = status; }
            }
        """ + Send, """
        class Driver
        {
            int reuseParams;

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var status = STATUS_SUCCESS;
                var status2 = Params.IoStatus.Status;
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams1, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuseParams1);
                WdfRequestComplete((WDFREQUEST)Context!, status2);
                if (reuseParams > 0) { var status1 = status; }
            }
        """ + Send);

    [Fact]
    public Task Drv010_WrapsAnEmbeddedStatementAndHoistsWdfRequestGetStatus() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                if (Context is WDFREQUEST original)
                    {|DRV010:WdfRequestComplete(original, WdfRequestGetStatus(Request))|};
            }
        """ + Send, """
        class Driver
        {
            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                if (Context is WDFREQUEST original)
                {
                    var status = WdfRequestGetStatus(Request);
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(Request, reuseParams);
                    WdfRequestComplete(original, status);
                }
            }
        """ + Send);

    [Fact]
    public Task Drv010_LambdaExpressionBodyBecomesABlock() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var newRequest);
                WdfIoTargetFormatRequestForRead(target, newRequest, memory, null, null);
                WdfRequestSetCompletionRoutine(newRequest, (req, t, p, c) => {|DRV010:WdfRequestComplete(Request, p.IoStatus.Status)|}, WDF_NO_CONTEXT);
                WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """, """
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var newRequest);
                WdfIoTargetFormatRequestForRead(target, newRequest, memory, null, null);
                WdfRequestSetCompletionRoutine(newRequest, (req, t, p, c) =>
                {
                    var status = p.IoStatus.Status;
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(req, reuseParams);
                    WdfRequestComplete(Request, status);
                }, WDF_NO_CONTEXT);
                WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    [Fact]
    public Task Drv010_SendFailedPath() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                var status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var newRequest);
                WdfIoTargetFormatRequestForWrite(target, newRequest, memory, null, null);
                if (!WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS))
                {
                    {|DRV010:WdfRequestComplete(Request, WdfRequestGetStatus(newRequest))|};
                }
            }
        }
        """, """
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                var status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var newRequest);
                WdfIoTargetFormatRequestForWrite(target, newRequest, memory, null, null);
                if (!WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS))
                {
                    var status1 = WdfRequestGetStatus(newRequest);
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(newRequest, reuseParams);
                    WdfRequestComplete(Request, status1);
                }
            }
        }
        """);

    [Fact]
    public Task Drv010_FixAllAcrossDocumentsAndInOneMethod() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                """
                class Driver
                {
                    void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
                    {
                        if (Params.IoStatus.Status == STATUS_SUCCESS)
                        {
                            {|DRV010:WdfRequestComplete((WDFREQUEST)Context!, Params.IoStatus.Status)|};
                        }
                        else
                            {|DRV010:WdfRequestComplete((WDFREQUEST)Context!, Params.IoStatus.Status)|};
                    }
                """ + Send,
                """
                class Other
                {
                    void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
                    {
                        {|DRV010:WdfRequestComplete((WDFREQUEST)Context!, STATUS_SUCCESS)|};
                    }

                    void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory)
                    {
                        WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r);
                        WdfIoTargetFormatRequestForRead(target, r, memory, null, null);
                        WdfRequestSetCompletionRoutine(r, Done, original);
                        WdfRequestSend(r, target, WDF_NO_SEND_OPTIONS);
                    }
                }
                """,
            },
        },
        FixedState =
        {
            Sources =
            {
                """
                class Driver
                {
                    void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
                    {
                        if (Params.IoStatus.Status == STATUS_SUCCESS)
                        {
                            var status = Params.IoStatus.Status;
                            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                            WdfRequestReuse(Request, reuseParams);
                            WdfRequestComplete((WDFREQUEST)Context!, status);
                        }
                        else
                        {
                            var status1 = Params.IoStatus.Status;
                            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams1, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                            WdfRequestReuse(Request, reuseParams1);
                            WdfRequestComplete((WDFREQUEST)Context!, status1);
                        }
                    }
                """ + Send,
                """
                class Other
                {
                    void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
                    {
                        WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                        WdfRequestReuse(Request, reuseParams);
                        WdfRequestComplete((WDFREQUEST)Context!, STATUS_SUCCESS);
                    }

                    void Send(WDFIOTARGET target, WDFREQUEST original, WDFMEMORY memory)
                    {
                        WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var r);
                        WdfIoTargetFormatRequestForRead(target, r, memory, null, null);
                        WdfRequestSetCompletionRoutine(r, Done, original);
                        WdfRequestSend(r, target, WDF_NO_SEND_OPTIONS);
                    }
                }
                """,
            },
        },
    }.RunAsync();

    [Fact]
    public Task Drv010_NoFixWhereTheCreatedRequestMayBeUnassigned() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) goto End;
                status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST newRequest);
                if (!NT_SUCCESS(status)) goto End;
                status = WdfIoTargetFormatRequestForRead(target, newRequest, memory, null, null);
                if (!NT_SUCCESS(status)) goto End;
                if (WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS)) return;
                status = WdfRequestGetStatus(newRequest);
            End:
                {|DRV010:WdfRequestComplete(Request, status)|};
            }
        }
        """, """
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                var status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) goto End;
                status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST newRequest);
                if (!NT_SUCCESS(status)) goto End;
                status = WdfIoTargetFormatRequestForRead(target, newRequest, memory, null, null);
                if (!NT_SUCCESS(status)) goto End;
                if (WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS)) return;
                status = WdfRequestGetStatus(newRequest);
            End:
                {|DRV010:WdfRequestComplete(Request, status)|};
            }
        }
        """);

    [Fact]
    public Task Drv010_ALabelledCompletionKeepsItsLabelFirst() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST newRequest);
                var status = WdfIoTargetFormatRequestForRead(target, newRequest, memory, null, null);
                if (WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS)) return;
                goto End;
            End:
                {|DRV010:WdfRequestComplete(Request, status)|};
            }
        }
        """, """
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WdfRequestRetrieveOutputMemory(Request, out var memory);
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST newRequest);
                var status = WdfIoTargetFormatRequestForRead(target, newRequest, memory, null, null);
                if (WdfRequestSend(newRequest, target, WDF_NO_SEND_OPTIONS)) return;
                goto End;
            End:
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(newRequest, reuseParams);
                    WdfRequestComplete(Request, status);
                }
            }
        }
        """);

    // ---------------------------------------------------------------- DRV011

    [Fact]
    public Task Drv011_ReuseBeforeTheFormatInALoop() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void Poll(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                for (var i = 0; i < 4; i++)
                {
                    /* read the next sample */ {|DRV011:WdfIoTargetFormatRequestForRead(target, request, memory, null, null)|};
                    WdfRequestSend(request, target, options);
                }

                WdfObjectDelete(request);
            }
        }
        """, """
        class Driver
        {
            void Poll(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                for (var i = 0; i < 4; i++)
                {
                    /* read the next sample */ WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(request, reuseParams);
                    WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                    WdfRequestSend(request, target, options);
                }

                WdfObjectDelete(request);
            }
        }
        """);

    [Fact]
    public Task Drv011ThenDrv012_CompletionRoutineSendsItsRequestAgain() => new Verify.Test
    {
        TestCode = """
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
                    {|DRV011:WdfIoTargetFormatRequestForRead(Target, Request, Buffer, null, null)|};
                    WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);
                }
            }
            """,
        FixedCode = """
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
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(Request, reuseParams);
                    WdfRequestSetCompletionRoutine(Request, ReadDone, Context);
                    WdfIoTargetFormatRequestForRead(Target, Request, Buffer, null, null);
                    WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);
                }
            }
            """,
        NumberOfIncrementalIterations = 2,
        NumberOfFixAllIterations = 2,
    }.RunAsync();

    private const string Poller = """
        class Poller{0}
        {{
            void Poll(WDFIOTARGET target, WDFMEMORY memory)
            {{
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                for (var i = 0; i < 4; i++)
                {{
                    {1}WdfIoTargetFormatRequestForRead(target, request, memory, null, null){2};
                    WdfRequestSend(request, target, options);
                }}

                while (true)
                {{
                    {3}WdfRequestSend(request, target, options){4};
                }}
            }}
        }}
        """;

    private const string PollerFixed = """
        class Poller{0}
        {{
            void Poll(WDFIOTARGET target, WDFMEMORY memory)
            {{
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                for (var i = 0; i < 4; i++)
                {{
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(request, reuseParams);
                    WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                    WdfRequestSend(request, target, options);
                }}

                while (true)
                {{
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams1, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(request, reuseParams1);
                    WdfRequestSend(request, target, options);
                }}
            }}
        }}
        """;

    [Fact]
    public Task Drv011_FixAllAcrossDocumentsWithDistinctNamesInOneMethod() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                string.Format(Poller, "A", "{|DRV011:", "|}", "{|DRV011:", "|}"),
                string.Format(Poller, "B", "{|DRV011:", "|}", "{|DRV011:", "|}"),
            },
        },
        FixedState = { Sources = { string.Format(PollerFixed, "A"), string.Format(PollerFixed, "B") } },
    }.RunAsync();

    [Fact]
    public Task Drv011_NoFixForASendInALoopCondition() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void Retry(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                var tries = 0;
                while (!{|DRV011:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|} && ++tries < 3)
                {
                }
            }
        }
        """, """
        class Driver
        {
            void Retry(WDFIOTARGET target, WDFMEMORY memory)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                var tries = 0;
                while (!{|DRV011:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|} && ++tries < 3)
                {
                }
            }
        }
        """);

    // ---------------------------------------------------------------- DRV012

    [Fact]
    public Task Drv012_SetsTheSameRoutineAndContextAfterTheReuse() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }

            void Stream(WDFIOTARGET target, WDFMEMORY memory, object state)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfRequestSetCompletionRoutine(request, Done, state);
                for (var i = 0; i < 4; i++)
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(request, reuse); // start over
                    WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                    {|DRV012:WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS)|};
                }
            }
        }
        """, """
        class Driver
        {
            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }

            void Stream(WDFIOTARGET target, WDFMEMORY memory, object state)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfRequestSetCompletionRoutine(request, Done, state);
                for (var i = 0; i < 4; i++)
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(request, reuse); // start over
                    WdfRequestSetCompletionRoutine(request, Done, state);
                    WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                    WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                }
            }
        }
        """);

    [Fact]
    public Task Drv012_FieldRequestUsesTheRegistrationOfAnotherMethod() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            WDFIOTARGET Target;
            WDFREQUEST Reader;
            WDFMEMORY Buffer;

            void Start()
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out Reader);
                WdfIoTargetFormatRequestForRead(Target, Reader, Buffer, null, null);
                WdfRequestSetCompletionRoutine(Reader, ReadDone, this);
                WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS);
            }

            void Restart()
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                if (!NT_SUCCESS(WdfRequestReuse(Reader, reuse))) return;
                WdfIoTargetFormatRequestForRead(Target, Reader, Buffer, null, null);
                if (!{|DRV012:WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS)|}) WdfObjectDelete(Reader);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }
        }
        """, """
        class Driver
        {
            WDFIOTARGET Target;
            WDFREQUEST Reader;
            WDFMEMORY Buffer;

            void Start()
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Target, out Reader);
                WdfIoTargetFormatRequestForRead(Target, Reader, Buffer, null, null);
                WdfRequestSetCompletionRoutine(Reader, ReadDone, this);
                WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS);
            }

            void Restart()
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                if (!NT_SUCCESS(WdfRequestReuse(Reader, reuse))) return;
                WdfIoTargetFormatRequestForRead(Target, Reader, Buffer, null, null);
                WdfRequestSetCompletionRoutine(Reader, ReadDone, this);
                if (!WdfRequestSend(Reader, Target, WDF_NO_SEND_OPTIONS)) WdfObjectDelete(Reader);
            }

            void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }
        }
        """);

    [Fact]
    public Task Drv012_NoFixWhenTheRoutineCannotBeNamedHere() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            void Stream(WDFIOTARGET target, WDFMEMORY memory, object state)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                WdfRequestSetCompletionRoutine(request, (req, t, p, c) =>
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(req, reuse);
                    WdfIoTargetFormatRequestForRead(t, req, memory, null, null);
                    {|DRV012:WdfRequestSend(req, t, WDF_NO_SEND_OPTIONS)|};
                }, state);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """, """
        class Driver
        {
            void Stream(WDFIOTARGET target, WDFMEMORY memory, object state)
            {
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                WdfIoTargetFormatRequestForRead(target, request, memory, null, null);
                WdfRequestSetCompletionRoutine(request, (req, t, p, c) =>
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(req, reuse);
                    WdfIoTargetFormatRequestForRead(t, req, memory, null, null);
                    {|DRV012:WdfRequestSend(req, t, WDF_NO_SEND_OPTIONS)|};
                }, state);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
            }
        }
        """);

    // ---------------------------------------------------------------- DRV013

    [Fact]
    public Task Drv013_DeleteInsteadOfComplete() => VerifyDelete.VerifyCodeFixAsync("""
        class Driver
        {
            void Probe(WDFIOTARGET target)
            {
                var status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                if (!NT_SUCCESS(status)) return;
                // Done with it.
                {|DRV013:WdfRequestComplete(request, STATUS_SUCCESS)|}; // release
                if (status == STATUS_SUCCESS)
                    {|DRV013:Wdf.WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 0)|};
            }
        }
        """, """
        class Driver
        {
            void Probe(WDFIOTARGET target)
            {
                var status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
                if (!NT_SUCCESS(status)) return;
                // Done with it.
                WdfObjectDelete(request); // release
                if (status == STATUS_SUCCESS)
                    Wdf.WdfObjectDelete(request);
            }
        }
        """);
}
