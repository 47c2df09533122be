using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>
/// Issue 11: a driver-created request kept in a context field between calls, in the WDK toastmon shape: a timer callback
/// takes it out of the field, formats and sends it; the completion routine reuses it and puts it back. What the stores of
/// the driver leave in the field is what the next call loads: a request put back after a failed send without
/// <c>WdfRequestReuse</c> is formatted again unreused (DRV011); one put back by the completion routine after its reuse has
/// no completion routine until it is set again (DRV012).
/// </summary>
public class HeldRequestStoreTests
{
    private const string Context = """
        class TARGET_DEVICE_INFO { public WDFREQUEST ReadRequest; public WDFIOTARGET Target; }

        static class ToastMon
        {
            public static NTSTATUS OpenDevice(TARGET_DEVICE_INFO targetInfo) =>
                WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, targetInfo.Target, out targetInfo.ReadRequest);

        """;

    /// <summary>The completion routine of the toastmon sample: reuse, then put the request back for the next tick.</summary>
    private const string RoutineThatReuses = """
            public static void ReadCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var targetInfo = (TARGET_DEVICE_INFO)Context!;
                WdfObjectDelete(Params.Parameters.Read.Buffer);
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                targetInfo.ReadRequest = Request;
            }

        """;

    /// <summary>The shipped toastmon's PostReadRequests: a failed send puts the request back as it is.</summary>
    private static string PostRead(string format, string beforeStore) => $$"""
            public static NTSTATUS PostRead(TARGET_DEVICE_INFO targetInfo)
            {
                WDFREQUEST request = targetInfo.ReadRequest;
                targetInfo.ReadRequest = default;
                if (request == default)
                {
                    return STATUS_INVALID_DEVICE_REQUEST;
                }

                var status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0, 100, out var memory, out _);
                if (!NT_SUCCESS(status))
                {
                    goto exit;
                }

                {{format}}
                if (!NT_SUCCESS(status))
                {
                    goto exit;
                }

                WdfRequestSetCompletionRoutine(request, ReadCompletion, targetInfo);
                if (WdfRequestSend(request, targetInfo.Target, WDF_NO_SEND_OPTIONS) == FALSE)
                {
                    status = WdfRequestGetStatus(request);
                    {{beforeStore}}
                }

            exit:
                if (!NT_SUCCESS(status))
                {
                    targetInfo.ReadRequest = request;
                }

                return status;
            }
        }
        """;

    [Fact]
    public Task Drv011_RequestPutBackAfterAFailedSendIsFormattedAgainByTheNextCall() => Verify.VerifyAnalyzerAsync(
        Context + RoutineThatReuses + PostRead("status = {|#0:WdfIoTargetFormatRequestForRead(targetInfo.Target, request, memory, null, null)|};", string.Empty),
        Verify.Diagnostic("DRV011").WithLocation(0).WithSpan(46, 13, 46, 45).WithArguments(
            "request", "formatted", "WdfIoTargetFormatRequestForRead",
            "by an earlier call: PostRead put it back in 'targetInfo.ReadRequest' after a send that failed, without WdfRequestReuse (Test0.cs:46)"));

    /// <summary>The fix the sample needs: reuse the request before it goes back into the field.</summary>
    [Fact]
    public Task Silent_RequestReusedBeforeItIsPutBack() => Verify.VerifyAnalyzerAsync(
        Context + RoutineThatReuses + PostRead(
            "status = WdfIoTargetFormatRequestForRead(targetInfo.Target, request, memory, null, null);",
            "WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS); WdfRequestReuse(request, reuse);"));

    /// <summary>Or reuse it when it is taken out of the field, before the next format.</summary>
    [Fact]
    public Task Silent_RequestReusedBeforeTheNextFormat() => Verify.VerifyAnalyzerAsync(
        Context + RoutineThatReuses + PostRead(
            "WDF_REQUEST_REUSE_PARAMS_INIT(out var fresh, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS); WdfRequestReuse(request, fresh); status = WdfIoTargetFormatRequestForRead(targetInfo.Target, request, memory, null, null);",
            string.Empty));

    /// <summary>Only the completion routine puts it back, after its reuse (a failed send deletes it): every load is reused.</summary>
    [Fact]
    public Task Silent_OnlyTheCompletionRoutinePutsItBackAfterItsReuse() => Verify.VerifyAnalyzerAsync(
        Context + RoutineThatReuses + PostRead(
            "status = WdfIoTargetFormatRequestForRead(targetInfo.Target, request, memory, null, null);",
            "WdfObjectDelete(request); return status;"));

    /// <summary>ToastMonBuggy's write path: the routine set once at creation; the completion routine's reuse cleared it.</summary>
    private const string RoutineSetAtCreation = """
        class TARGET_DEVICE_INFO { public WDFREQUEST WriteRequest; public WDFIOTARGET Target; }

        static class ToastMon
        {
            public static NTSTATUS OpenDevice(TARGET_DEVICE_INFO targetInfo)
            {
                var status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, targetInfo.Target, out targetInfo.WriteRequest);
                if (NT_SUCCESS(status))
                {
                    WdfRequestSetCompletionRoutine(targetInfo.WriteRequest, WriteCompletion, targetInfo);
                }

                return status;
            }

            public static void WriteCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                var targetInfo = (TARGET_DEVICE_INFO)Context!;
                WdfObjectDelete(Params.Parameters.Write.Buffer);
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                WdfRequestReuse(Request, reuse);
                targetInfo.WriteRequest = Request;
            }

            public static void PostWrite(TARGET_DEVICE_INFO targetInfo)
            {
                WDFREQUEST request = targetInfo.WriteRequest;
                targetInfo.WriteRequest = default;
                if (request == default)
                {
                    return;
                }

                if (!NT_SUCCESS(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0, 100, out var memory, out _)))
                {
                    targetInfo.WriteRequest = request;
                    return;
                }

                WdfIoTargetFormatRequestForWrite(targetInfo.Target, request, memory, null, null);
        """;

    [Fact]
    public Task Drv012_RoutineSetAtCreationClearedByTheCompletionRoutinesReuse() => Verify.VerifyAnalyzerAsync(RoutineSetAtCreation + """
                if ({|#0:WdfRequestSend(request, targetInfo.Target, WDF_NO_SEND_OPTIONS)|} == FALSE)
                {
                    WdfObjectDelete(request);
                }
            }
        }
        """,
        Verify.Diagnostic("DRV012").WithLocation(0).WithSpan(22, 9, 22, 42).WithArguments(
            "request", "21 of Test0.cs (WriteCompletion reused it, then put it back in 'targetInfo.WriteRequest' at line 22; this call loaded it from there)"));

    [Fact]
    public Task Silent_RoutineSetAgainBeforeEachSend() => Verify.VerifyAnalyzerAsync(RoutineSetAtCreation + """
                WdfRequestSetCompletionRoutine(request, WriteCompletion, targetInfo);
                if (WdfRequestSend(request, targetInfo.Target, WDF_NO_SEND_OPTIONS) == FALSE)
                {
                    WdfObjectDelete(request);
                }
            }
        }
        """);
}
