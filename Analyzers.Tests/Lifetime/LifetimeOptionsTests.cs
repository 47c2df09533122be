using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>The <c>.editorconfig</c> options <c>driverbuffers.helper_depth</c> and <c>driverbuffers.completion_helpers</c>.</summary>
public class LifetimeOptionsTests
{
    private const string FourLevels = """
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Level1(Request);
                NTSTATUS status = {|DRV003:WdfRequestGetStatus(Request)|};
            }

            static void Level1(WDFREQUEST request) => Level2(request);
            static void Level2(WDFREQUEST request) => Level3(request);
            static void Level3(WDFREQUEST request) => Level4(request);
            static void Level4(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
        }
        """;

    [Fact]
    public Task DeeperHelperDepthFollowsFourLevels() => new Verify.Test
    {
        TestCode = FourLevels,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = 4\n") } },
    }.RunAsync();

    [Fact]
    public Task HelperDepthZeroFollowsNoHelper() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                {
                    Finish(Request);
                    NTSTATUS status = WdfRequestGetStatus(Request);
                }

                static void Finish(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
            }
            """,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = 0\n") } },
    }.RunAsync();

    [Fact]
    public Task CompletionHelperInAnotherAssembly() => new Verify.Test
    {
        TestCode = """
            namespace MyCompany.Driver
            {
                public interface IUtil { }

                public static class Util
                {
                    public static extern void Finish(WDFREQUEST request, NTSTATUS status);
                }

                class Driver
                {
                    void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                    {
                        WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                        Util.Finish(Request, STATUS_SUCCESS);
                        {|DRV001:buffer|}.Write<uint>(0, 1);
                    }
                }
            }
            """,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.completion_helpers = Other.Thing.Done, MyCompany.Driver.Util.Finish\n") } },
        CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics.None,
    }.RunAsync();

    [Fact]
    public Task UnlistedExternalHelper_TreatedAsKeeping_Silent() => new Verify.Test
    {
        TestCode = """
            namespace MyCompany.Driver
            {
                public static class Util
                {
                    public static extern void Finish(WDFREQUEST request, NTSTATUS status);
                }

                class Driver
                {
                    void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                    {
                        WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                        buffer.Write<uint>(0, 1);
                        Util.Finish(Request, STATUS_SUCCESS);
                    }
                }
            }
            """,
        CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics.None,
    }.RunAsync();
}
