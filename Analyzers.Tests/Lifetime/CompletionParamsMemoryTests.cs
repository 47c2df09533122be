using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// DRV001 in a completion routine: the memory its <c>WDF_REQUEST_COMPLETION_PARAMS</c> names (the keyboard filter's
/// <c>CompletionParams.Parameters.Ioctl.Output.Buffer</c>) belongs to the routine's request and dies when it is completed.
/// </summary>
public class CompletionParamsMemoryTests
{
    private const string Filter = """
        class DEVICE_EXTENSION { public LOCAL_BUFFER Attributes = new(24); }

        class Driver
        {
            void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS CompletionParams, object? Context)
            {
                WDFMEMORY buffer = CompletionParams.Parameters.Ioctl.Output.Buffer;
                NTSTATUS status = CompletionParams.IoStatus.Status;
                DEVICE_EXTENSION devExt = (DEVICE_EXTENSION)Context!;

        """;

    [Fact]
    public Task Drv001_ParamsMemoryCopiedAfterTheRoutinesRequestIsCompleted() => Verify.VerifyAnalyzerAsync(Filter + """
                WdfRequestComplete(Request, status);
                if (NT_SUCCESS(status))
                {
                    _ = WdfMemoryCopyToBuffer({|DRV001:buffer|}, CompletionParams.Parameters.Ioctl.Output.Offset, devExt.Attributes.Address, 24);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_ParamsMemoryCopiedBeforeTheRoutinesRequestIsCompleted() => Verify.VerifyAnalyzerAsync(Filter + """
                if (NT_SUCCESS(status))
                {
                    _ = WdfMemoryCopyToBuffer(buffer, CompletionParams.Parameters.Ioctl.Output.Offset, devExt.Attributes.Address, 24);
                }

                WdfRequestComplete(Request, status);
            }
        }
        """);
}
