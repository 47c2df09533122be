using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Scenarios;

/// <summary>
/// Reference 000, scenario 5: a driver reuses a request it created; before each reuse it must call
/// WdfRequestReuse (DRV011), and it deletes the request at the end instead of completing it (DRV013).
/// </summary>
public class Scenario5ReuseCreatedRequestTests
{
    private static NTSTATUS ReadOnce(WDFIOTARGET target, WDFREQUEST request, WDFMEMORY memory)
    {
        var status = WdfIoTargetFormatRequestForRead(target, request, memory, NULL, NULL);
        if (!NT_SUCCESS(status))
        {
            return status;
        }
        WDF_REQUEST_SEND_OPTIONS_INIT(out var options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
        return WdfRequestSend(request, target, options) ? WdfRequestGetStatus(request) : WdfRequestGetStatus(request);
    }

    [Fact]
    public void A_created_request_reused_between_sends_works_every_time()
    {
        using var host = new DriverHost();
        int next = 0;
        host.LowerTarget.Responder = r => new TargetIoResponse(STATUS_SUCCESS, null, new[] { (byte)++next });

        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 1, out var memory, out PVOID buffer);
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            for (int i = 1; i <= 3; i++)
            {
                Assert.Equal(STATUS_SUCCESS, ReadOnce(target, request, memory));
                Assert.Equal(i, buffer.Read<byte>(0));
                Assert.Equal((nuint)1, WdfRequestGetInformation(request));
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                Assert.Equal(STATUS_SUCCESS, WdfRequestReuse(request, reuse));
            }
            WdfObjectDelete(request);
            WdfObjectDelete(memory);
        });

        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Formatting_again_without_reuse_is_DRV011()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 1, out var memory, NULL);
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            ReadOnce(target, request, memory);

            var violation = Expect.Violation("DRV011", () => ReadOnce(target, request, memory));
            Assert.Equal("WdfIoTargetFormatRequestForRead", violation.Ddi);
        });
    }

    [Fact]
    public void Sending_again_without_reuse_is_DRV011()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForRead(target, request, NULL, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => { }, WDF_NO_CONTEXT);
            Assert.True(WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));

            Expect.Violation("DRV011", () => WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
        });
    }

    [Fact]
    public void Sending_a_request_that_is_still_pending_is_DRV011()
    {
        using var host = new DriverHost();
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForRead(target, request, NULL, NULL, NULL);
            WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);

            Expect.Violation("DRV011", () => WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS));
            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
            Expect.Violation("InvalidRequestState", () => WdfRequestReuse(request, reuse));
            Expect.Violation("InvalidObjectDelete", () => WdfObjectDelete(request));
        });
        Assert.Equal(1, host.LowerTarget.CompleteAll());
    }

    [Fact]
    public void Completing_a_created_request_is_DRV013()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE, out var request);

            Expect.Violation("DRV013", () => WdfRequestComplete(request, STATUS_SUCCESS));
            WdfObjectDelete(request);
            Expect.Violation("DRV036", () => WdfRequestGetStatus(request));
        });
    }

    [Fact]
    public void Reuse_resets_status_and_completion_routine()
    {
        using var host = new DriverHost();
        int calls = 0;
        host.Run(() =>
        {
            var target = host.LowerTarget.Handle;
            WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out var request);
            WdfIoTargetFormatRequestForRead(target, request, NULL, NULL, NULL);
            WdfRequestSetCompletionRoutine(request, (r, t, p, c) => calls++, WDF_NO_CONTEXT);
            WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);

            WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_CANCELLED);
            WdfRequestReuse(request, reuse);
            Assert.Equal(STATUS_CANCELLED, WdfRequestGetStatus(request));

            WdfIoTargetFormatRequestForRead(target, request, NULL, NULL, NULL);
            WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
        });

        Assert.Equal(1, calls);
    }
}
