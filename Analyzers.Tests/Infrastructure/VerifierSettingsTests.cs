using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.DeprecatedPoolAllocationAnalyzer,
    DriverBuffers.CodeFixes.Allocation.DeprecatedPoolAllocationCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Infrastructure;

/// <summary>
/// What the thin verifiers add to Microsoft.CodeAnalysis.Testing, which every analyzer and fix test relies on:
/// offline references, the driver usings, nullable warnings as errors, .editorconfig severities.
/// </summary>
public class VerifierSettingsTests
{
    private const string Deprecated = """
        class Driver
        {
            PVOID Allocate(nuint size) => {|#0:ExAllocatePoolWithTag(NonPagedPoolNx, size, 0x74736554)|};
        }
        """;

    [Fact]
    public async Task ReferenceAssembliesNameNoPackage_SoNothingIsDownloaded()
    {
        var test = new Verify.Test();

        Assert.Null(test.ReferenceAssemblies.ReferenceAssemblyPackage);
        Assert.Empty(test.ReferenceAssemblies.Packages);
        Assert.Empty(await test.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));
        var references = test.TestState.AdditionalReferences.Select(r => r.Display).ToList();
        Assert.Contains("System.Runtime (net80)", references);
        Assert.Contains(references, r => System.IO.Path.GetFileName(r) == "DriverBuffers.dll");
    }

    [Fact]
    public Task DriverCodeNeedsNoUsings() => Verify.VerifyAnalyzerAsync(
        Deprecated,
        Verify.Diagnostic().WithLocation(0).WithArguments("ExAllocatePoolWithTag", "ExAllocatePool2 with POOL_FLAG_NON_PAGED"));

    [Fact]
    public Task WithoutTheDriverUsingsTheDdisAreUnknown() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                object Allocate(nuint size) => {|CS0103:ExAllocatePoolWithTag|}({|CS0103:NonPagedPoolNx|}, size, 0x74736554);
            }
            """,
        IncludeDriverUsings = false,
    }.RunAsync();

    [Fact]
    public Task NullableWarningsAreErrors() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            string Name(string? value) => {|CS8603:value|};
        }
        """);

    [Fact]
    public Task FixedCodeKeepsTheDriverUsingsOutOfTheComparison() => Verify.VerifyCodeFixAsync(
        Deprecated,
        Verify.Diagnostic().WithLocation(0).WithArguments("ExAllocatePoolWithTag", "ExAllocatePool2 with POOL_FLAG_NON_PAGED"),
        """
        class Driver
        {
            PVOID Allocate(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x74736554);
        }
        """);

    [Fact]
    public Task EditorConfigSeverityApplies() => new Verify.Test
    {
        TestCode = Deprecated,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.DRV030.severity = error\n") } },
        ExpectedDiagnostics = { Verify.Diagnostic().WithLocation(0).WithSeverity(DiagnosticSeverity.Error).WithArguments("ExAllocatePoolWithTag", "ExAllocatePool2 with POOL_FLAG_NON_PAGED") },
        FixedCode = """
            class Driver
            {
                PVOID Allocate(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x74736554);
            }
            """,
    }.RunAsync();
}
