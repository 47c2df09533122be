using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Reuse;

/// <summary>
/// Issue 11: driver-created requests created into the elements of an array member of the device context, in the shape
/// of the WDK's UcmTcpciI2C sample (<c>WdfRequestCreate(…, out DeviceContext.OutgoingRequests[i])</c> in a loop, and the
/// C macro <c>I2CAsyncRequest</c>, a property returning one element): the property holds a driver-created request, so
/// its reuse and send are judged (DRV012).
/// </summary>
public class ArrayElementRequestTests
{
    private const string Context = """
        class DEVICE_CONTEXT
        {
            public const int I2CRequestSourceAsync = 0;
            public readonly WDFREQUEST[] OutgoingRequests = new WDFREQUEST[3];
            public WDFIOTARGET I2CIoTarget;
            public WDFMEMORY I2CMemory;
            public WDFREQUEST I2CAsyncRequest => OutgoingRequests[I2CRequestSourceAsync];
        }

        static class I2C
        {
            public static NTSTATUS Open(DEVICE_CONTEXT DeviceContext)
            {
                NTSTATUS status = STATUS_SUCCESS;
                for (int i = 0; i < 3; i++)
                {
                    status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, DeviceContext.I2CIoTarget, out DeviceContext.OutgoingRequests[i]);
                    if (!NT_SUCCESS(status))
                    {
                        return status;
                    }
                }

                return status;
            }

            public static void OnWriteCompletion(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) { }

            public static NTSTATUS WriteAsynchronously(DEVICE_CONTEXT DeviceContext)
            {

        """;

    private const string FormatAndSend = """
                status = WdfIoTargetFormatRequestForWrite(DeviceContext.I2CIoTarget, DeviceContext.I2CAsyncRequest, DeviceContext.I2CMemory, null, null);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

        """;

    [Fact]
    public Task Drv012_RoutineSetBeforeTheReuseOfARequestHeldInAnArrayElement() => Verify.VerifyAnalyzerAsync(Context + """
                WdfRequestSetCompletionRoutine(DeviceContext.I2CAsyncRequest, OnWriteCompletion, DeviceContext);
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                var status = {|#1:WdfRequestReuse(DeviceContext.I2CAsyncRequest, reuseParams)|};
        """ + FormatAndSend + """
                if ({|#0:WdfRequestSend(DeviceContext.I2CAsyncRequest, DeviceContext.I2CIoTarget, null)|} == FALSE)
                {
                    status = WdfRequestGetStatus(DeviceContext.I2CAsyncRequest);
                }

                return status;
            }
        }
        """,
        Verify.Diagnostic("DRV012").WithLocation(0).WithLocation(1).WithArguments("DeviceContext.I2CAsyncRequest", "33"));

    /// <summary>The shipped sample: reuse first, then the routine, then format and send.</summary>
    [Fact]
    public Task Silent_RoutineSetAfterTheReuse() => Verify.VerifyAnalyzerAsync(Context + """
                WDF_REQUEST_REUSE_PARAMS_INIT(out var reuseParams, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);
                var status = WdfRequestReuse(DeviceContext.I2CAsyncRequest, reuseParams);
                WdfRequestSetCompletionRoutine(DeviceContext.I2CAsyncRequest, OnWriteCompletion, DeviceContext);
        """ + FormatAndSend + """
                if (WdfRequestSend(DeviceContext.I2CAsyncRequest, DeviceContext.I2CIoTarget, null) == FALSE)
                {
                    status = WdfRequestGetStatus(DeviceContext.I2CAsyncRequest);
                }

                return status;
            }
        }
        """);
}
