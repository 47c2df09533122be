using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>The correct request scenarios of reference <c>000</c> stay silent; their classic mistakes are flagged.</summary>
public class ReferenceScenarioTests
{
    /// <summary>Scenario 2 as written in the reference: forward to the I/O target, <c>goto End</c> error handling.</summary>
    public const string Scenario2 = """
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status; WDFMEMORY memory; WDFIOTARGET ioTarget; bool ret;
                ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                status = WdfRequestRetrieveOutputMemory(Request, out memory);
                if (!NT_SUCCESS(status)) { goto End; }
                status = WdfIoTargetFormatRequestForRead(ioTarget, Request, memory, NULL, NULL);
                if (!NT_SUCCESS(status)) { goto End; }
                WdfRequestSetCompletionRoutine(Request, RequestCompletionRoutine, WDF_NO_CONTEXT);
                ret = WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS);
                if (!ret) { status = WdfRequestGetStatus(Request); goto End; }
                return;
            End:
                WdfRequestComplete(Request, status);
                return;
            }

            void RequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
            { WdfRequestComplete(Request, CompletionParams.IoStatus.Status); }
        }
        """;

    [Fact]
    public Task Scenario2_ForwardWithGotoEnd_Silent() => Verify.VerifyAnalyzerAsync(Scenario2);

    [Fact]
    public Task Scenario1_ProcessAndComplete_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, sizeof(uint), out PVOID input, out nuint inputLength);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out PVOID output, out nuint outputLength);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                uint value = input.Read<uint>(0);
                output.Write<uint>(0, value + 1);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
            }
        }
        """);

    [Fact]
    public Task Scenario2_SendAndForgetWithDirectTest_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WDFIOTARGET target = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SEND_AND_FORGET);
                if (WdfRequestSend(Request, target, options) == false)
                {
                    WdfRequestComplete(Request, WdfRequestGetStatus(Request));
                }
            }
        }
        """);

    [Fact]
    public Task Scenario3_DriverCreatedRequestReusingMemory_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFIOTARGET _target;
            private WDFREQUEST _lower;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfIoTargetFormatRequestForRead(_target, _lower, memory, NULL, NULL);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfRequestSetCompletionRoutine(_lower, LowerDone, Request);
                if (!WdfRequestSend(_lower, _target, WDF_NO_SEND_OPTIONS))
                {
                    WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                    WdfRequestReuse(_lower, reuse);
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                }
            }

            void LowerDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                if (Context is WDFREQUEST original)
                {
                    WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information);
                }
            }
        }
        """);

    [Fact]
    public Task Scenario2_UseMemoryAfterCompletionInCompletionRoutine_Flagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void RequestCompletionRoutine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
            {
                WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
                WdfRequestComplete(Request, CompletionParams.IoStatus.Status);
                WdfMemoryCopyToBuffer({|DRV001:memory|}, 0, NULL, 0);
            }
        }
        """);

    [Fact]
    public Task Scenario2_CompletingAfterSuccessfulSendOnErrorPathOnly_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WDFIOTARGET ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
                if (NT_SUCCESS(status))
                {
                    status = WdfIoTargetFormatRequestForRead(ioTarget, Request, memory, NULL, NULL);
                }

                if (NT_SUCCESS(status))
                {
                    bool sent = WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS);
                    if (sent)
                    {
                        return;
                    }

                    status = WdfRequestGetStatus(Request);
                }

                WdfRequestComplete(Request, status);
            }
        }
        """);
}
