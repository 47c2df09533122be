using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Allocation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>
/// The Allocation analyzers on code being typed, broken code and deep nesting: never an analyzer exception
/// (AD0001), and nothing at all on a compilation that does not reference the API.
/// </summary>
public class AllocationRobustnessTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new DeprecatedPoolAllocationAnalyzer(),
        new ExecutableMemoryAnalyzer(),
        new ObsoleteMdlMappingAnalyzer(),
        new PoolTypeAsPoolFlagsAnalyzer(),
        new PoolFreeMismatchAnalyzer());

    private const string Usings = "using System; using DriverBuffers; using static DriverBuffers.Wdf; using static DriverBuffers.Wdm;\n";

    public static TheoryData<string> BrokenCode() => new()
    {
        "class C { void M(nuint n) { var p = ExAllocatePoolWithTag(",
        "class C { void M(nuint n) { var p = ExAllocatePoolWithTag(NonPagedPool, n",
        "class C { void M(nuint n) { var p = ExAllocatePoolWithTag(NonPagedPool | , n, 1); } }",
        "class C { void M(nuint n) { var p = ExAllocatePool2(NonPagedPool, n); } }",
        "class C { void M(nuint n) { var p = ExAllocatePool2(PagedPool, n, 0, 4); } }",
        "class C { void M(PVOID p) { ExFreePoolWithTag(p, ); ExFreePoolWithTag(p); ExFreePool(); } }",
        "class C { void M(PVOID p) { ExFreePool(p) ExFreePool(p) } }",
        "class C { void M() { var va = MmGetSystemAddressForMdl(); var vb = MmGetSystemAddressForMdlSafe(default(PMDL)); } }",
        "class C { void M() { WdfMemoryCreate(null, NonPagedPool); POOL_TYPE t = ; t = NonPagedPool } }",
        "class C { PVOID p = ExAllocatePoolWithTag(NonPagedPool, 4, 1); POOL_TYPE T => NonPagedPool; }",
        "class C { void M(PVOID p) { goto Exit; Exit: ExFreePool(p); goto Exit; } }",
        "class C { void M(PVOID p) { while (true) { ExFreePool(p); if (p == NULL) break; p = NULL; } } }",
        "class C { void M(PVOID p) { try { ExFreePool(p); } catch { ExFreePool(p); } finally { ExFreePool(p); } } }",
        "class C { System.Action A = () => ExFreePool(default); void M() { void L(PVOID q) => ExFreePool(q); } }",
        "ExFreePool(NULL); ExFreePool(NULL); var x = ExAllocatePool(PagedPool, 4);",
        "class C { void M(nuint n) { RtlZeroMemory(ExAllocatePoolWithTag(PagedPool, n, 1), n); } }",
        "class C : Unknown { void M() { var p = Undefined(NonPagedPool); ExFreePool(p); ExFreePool(p); } }",
    };

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public async Task NoAnalyzerExceptionOnBrokenCode(string code)
    {
        var diagnostics = await Analyze(Usings + code, withApi: true);

        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }

    [Fact]
    public async Task NoAnalyzerExceptionOnDeepNesting()
    {
        var depth = 400;
        var code = "class C { void M(PVOID p, bool c) { "
            + string.Concat(Enumerable.Repeat("if (c) { ", depth))
            + "ExFreePool(p); ExFreePool(p); var q = ExAllocatePoolWithTag(NonPagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE"
            + string.Concat(Enumerable.Repeat(" | PagedPool", depth)) + ", 4, 1);"
            + new string('}', depth) + " } }";

        var diagnostics = await Analyze(Usings + code, withApi: true);

        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        Assert.Contains(diagnostics, d => d.Id == "DRV034");
        Assert.Contains(diagnostics, d => d.Id == "DRV030");
    }

    [Fact]
    public async Task NothingWithoutTheApi()
    {
        var code = """
            static class Wdm
            {
                public static object ExAllocatePoolWithTag(int type, int size, uint tag) => new object();
                public static void ExFreePool(object p) { }
            }

            class C
            {
                void M()
                {
                    var p = Wdm.ExAllocatePoolWithTag(0, 4, 0);
                    Wdm.ExFreePool(p);
                    Wdm.ExFreePool(p);
                }
            }
            """;

        var diagnostics = await Analyze(code, withApi: false);

        Assert.Empty(diagnostics.Where(d => d.Id.StartsWith("DRV", System.StringComparison.Ordinal) || d.Id == "AD0001"));
    }

    private static async Task<ImmutableArray<Diagnostic>> Analyze(string code, bool withApi)
    {
        var references = Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>();
        if (withApi)
        {
            references = references.Append(MetadataReference.CreateFromFile(typeof(Wdm).Assembly.Location));
        }

        var compilation = CSharpCompilation.Create(
            "Robustness",
            new[] { CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
            concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
        return await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
    }
}
