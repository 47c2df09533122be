using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Infrastructure;

/// <summary>A compilation that does not reference the API costs nothing: no action registered, no diagnostic.</summary>
public class NoApiTests
{
    private const string LookAlike = """
        namespace Other
        {
            public struct WDFREQUEST { }
            public static class Wdf
            {
                public static void WdfRequestComplete(WDFREQUEST request, int status) { }
            }

            class Driver
            {
                void EvtIoRead(object queue, WDFREQUEST Request, nuint length)
                {
                    Wdf.WdfRequestComplete(Request, 0);
                    Wdf.WdfRequestComplete(Request, 0);
                }
            }
        }
        """;

    [Fact]
    public async Task WithoutTheApi_NoDiagnosticsAndNoRegisteredActions()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Test0.cs", LookAlike) }, withApi: false);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var analyzers = AnalyzerHarness.AllAnalyzers();
        Assert.NotEmpty(analyzers);

        var result = await AnalyzerHarness.RunAsync(compilation, analyzers);

        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        foreach (var analyzer in analyzers)
        {
            var telemetry = await result.Compilation.GetAnalyzerTelemetryInfoAsync(analyzer, default);
            Assert.Equal(0, telemetry.OperationActionsCount);
            Assert.Equal(0, telemetry.OperationBlockActionsCount);
            Assert.Equal(0, telemetry.OperationBlockStartActionsCount);
            Assert.Equal(0, telemetry.SyntaxNodeActionsCount);
            Assert.Equal(0, telemetry.SymbolActionsCount);
        }
    }

    [Fact]
    public async Task WithTheApi_TheLifetimeAnalyzerRegistersItsBlockAction()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Test0.cs", "class C { }") });
        var analyzer = new DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer();

        var result = await AnalyzerHarness.RunAsync(compilation, System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(analyzer));
        var telemetry = await result.Compilation.GetAnalyzerTelemetryInfoAsync(analyzer, default);

        Assert.Equal(1, telemetry.OperationBlockActionsCount);
    }
}
