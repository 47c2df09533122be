using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Driver-created requests held in device-context fields, one context class per device function: a poll request
/// created in <c>EvtDevicePrepareHardware</c>, reused, formatted and sent from a timer-like routine and resent from
/// its completion routine; a forwarding request that carries a queue request's memory to the lower target and is
/// reused before the original completes; both deleted in <c>EvtDeviceReleaseHardware</c>. About 110 lines a class.
/// One class in 20 has a bug (DRV011 no reuse before the resend, DRV010 original completed while the forwarding
/// request still holds its memory, DRV013 a driver-created request completed). Size: classes.
/// </summary>
public sealed class FieldRequestsGenerator : IShapeGenerator
{
    private const int ClassesPerFile = 10;

    public string SizeUnit => "classes";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        return SourceFile.InFiles(size, ClassesPerFile, (file, first, end) =>
        {
            var w = SourceWriter.DriverFile(nameSpace);
            for (var c = first; c < end; c++)
            {
                WriteClass(w, c);
            }

            return SourceFile.From($"{nameSpace}/Functions{file}.cs", w);
        });
    }

    public static void WriteClass(SourceWriter w, int c)
    {
        var bug = c % 20 == 19 ? c / 20 % 3 : -1;
        w.Open($"public sealed class FUNCTION_CONTEXT_{c}");
        w.Line("public WDFIOTARGET Target;");
        w.Line("public WDFREQUEST PollRequest;");
        w.Line("public WDFMEMORY PollMemory;");
        w.Line("public WDFREQUEST ForwardRequest;");
        w.Line("public uint Polls;");
        w.Close();
        w.Line();
        w.Open($"public static class Function{c}");
        w.Line($"public const uint PoolTag = 0x{0x6E754600 + (c % 200):X8};");
        w.Line("public const nuint PollSize = 32;");
        w.Line($"private static readonly FUNCTION_CONTEXT_{c} Context = new();");
        w.Line();

        w.Open("public static NTSTATUS EvtDevicePrepareHardware(WDFDEVICE Device)");
        w.Statement("var ctx = Context;");
        w.Statement("ctx.Target = WdfDeviceGetIoTarget(Device);");
        w.Statement("NTSTATUS status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, ctx.Target, out ctx.PollRequest);");
        w.Statement("if (!NT_SUCCESS(status)) { return status; }");
        w.Statement("status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, ctx.Target, out ctx.ForwardRequest);");
        w.Statement("if (!NT_SUCCESS(status)) { return status; }");
        w.Statement("status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, PoolTag, PollSize, out ctx.PollMemory, out _);");
        w.Statement("return status;");
        w.Close();
        w.Line();

        w.Open("public static NTSTATUS StartPoll()");
        w.Statement("var ctx = Context;");
        if (bug != 0)
        {
            w.Statement("WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);");
            w.Statement("NTSTATUS status = WdfRequestReuse(ctx.PollRequest, reuse);");
            w.Statement("if (!NT_SUCCESS(status)) { return status; }");
            w.Statement("status = WdfIoTargetFormatRequestForRead(ctx.Target, ctx.PollRequest, ctx.PollMemory, null, null);");
        }
        else
        {
            // DRV011: formatted again without WdfRequestReuse (the completion routine calls StartPoll again).
            w.Statement("NTSTATUS status = WdfIoTargetFormatRequestForRead(ctx.Target, ctx.PollRequest, ctx.PollMemory, null, null);");
        }

        w.Statement("if (!NT_SUCCESS(status)) { return status; }");
        w.Statement("WdfRequestSetCompletionRoutine(ctx.PollRequest, OnPollCompleted, ctx);");
        w.Open("if (!WdfRequestSend(ctx.PollRequest, ctx.Target, WDF_NO_SEND_OPTIONS))");
        w.Statement("return WdfRequestGetStatus(ctx.PollRequest);");
        w.Close();
        w.Line();
        w.Statement("return STATUS_SUCCESS;");
        w.Close();
        w.Line();

        w.Open("private static void OnPollCompleted(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)");
        w.Statement($"var ctx = (FUNCTION_CONTEXT_{c})Context!;");
        w.Statement("ctx.Polls++;");
        w.Open("if (NT_SUCCESS(Params.IoStatus.Status) && ctx.Polls < 16)");
        w.Statement("StartPoll();");
        w.Close();
        w.Close();
        w.Line();

        w.Open("public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)");
        w.Statement("var ctx = Context;");
        w.Statement("NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);");
        w.Statement("status = WdfRequestReuse(ctx.ForwardRequest, reuse);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("status = WdfIoTargetFormatRequestForRead(ctx.Target, ctx.ForwardRequest, memory, null, null);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("WdfRequestSetCompletionRoutine(ctx.ForwardRequest, OnReadForwarded, Request);");
        w.Open("if (!WdfRequestSend(ctx.ForwardRequest, ctx.Target, WDF_NO_SEND_OPTIONS))");
        w.Statement("status = WdfRequestGetStatus(ctx.ForwardRequest);");
        w.Statement("WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS release, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);");
        w.Statement("WdfRequestReuse(ctx.ForwardRequest, release);");
        w.Statement("WdfRequestComplete(Request, status);");
        w.Close();
        w.Close();
        w.Line();

        w.Open("private static void OnReadForwarded(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)");
        w.Statement("var original = (WDFREQUEST)Context!;");
        if (bug != 1)
        {
            w.Statement("WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS release, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);");
            w.Statement("WdfRequestReuse(Request, release);");
        }

        // DRV010 where the reuse above is missing.
        w.Statement("WdfRequestCompleteWithInformation(original, Params.IoStatus.Status, Params.IoStatus.Information);");
        w.Close();
        w.Line();

        w.Open("public static void EvtDeviceReleaseHardware()");
        w.Statement("var ctx = Context;");
        w.Statement(bug == 2
            ? "if (ctx.PollRequest != default) { WdfRequestComplete(ctx.PollRequest, STATUS_CANCELLED); }"
            : "if (ctx.PollRequest != default) { WdfObjectDelete(ctx.PollRequest); }");
        w.Statement("if (ctx.ForwardRequest != default) { WdfObjectDelete(ctx.ForwardRequest); }");
        w.Statement("if (ctx.PollMemory != default) { WdfObjectDelete(ctx.PollMemory); }");
        w.Statement("ctx.PollRequest = default;");
        w.Statement("ctx.ForwardRequest = default;");
        w.Close();
        w.Close();
        w.Line();
    }
}
