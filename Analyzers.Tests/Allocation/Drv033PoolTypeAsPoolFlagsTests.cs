using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.CodeFixes.Allocation;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.PoolTypeAsPoolFlagsAnalyzer,
    DriverBuffers.CodeFixes.Allocation.PoolTypeAsPoolFlagsCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV033: a POOL_TYPE given as POOL_FLAGS, and tag 0, to ExAllocatePool2/3.</summary>
public class Drv033PoolTypeAsPoolFlagsTests
{
    private static string Driver(string call) => $$"""
        class Driver
        {
            private const uint Tag = 0x74736554;

            PVOID Allocate(nuint size) => {{call}};
        }
        """;

    [Fact]
    public Task FlagsPoolTypesAndTagZero() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;
            private const uint NoTag = 0;

            void Allocate(nuint size, POOL_TYPE type)
            {
                var a = ExAllocatePool2({|#0:NonPagedPoolNx|}, size, Tag);
                var b = ExAllocatePool2({|#1:type|}, size, Tag);
                var c = ExAllocatePool2(POOL_FLAG_PAGED, size, {|#2:0|});
                var d = ExAllocatePool3(POOL_FLAG_PAGED, size, {|#3:NoTag|}, NULL, 0);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("ExAllocatePool2", "the pool type NonPagedPoolNx as its POOL_FLAGS", "POOL_FLAG_NON_PAGED"),
        Verify.Diagnostic().WithLocation(1).WithArguments("ExAllocatePool2", "the pool type type as its POOL_FLAGS", "the POOL_FLAG_* flags for this pool type"),
        Verify.Diagnostic().WithLocation(2).WithArguments("ExAllocatePool2", "the pool tag 0", "a non-zero pool tag constant"),
        Verify.Diagnostic().WithLocation(3).WithArguments("ExAllocatePool3", "the pool tag 0", "a non-zero pool tag constant"));

    [Fact]
    public Task FlagsAndTagsAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size, ulong flags, uint tag)
            {
                var a = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, size, Tag);
                var b = ExAllocatePool2(flags, size, tag);
                var c = ExAllocatePool3(POOL_FLAG_PAGED, size, Tag, new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority, Priority = HighPoolPriority }, 1);
            }
        }
        """);

    [Theory]
    [InlineData("NonPagedPoolNx", "POOL_FLAG_NON_PAGED")]
    [InlineData("PagedPool", "POOL_FLAG_PAGED")]
    [InlineData("NonPagedPool", "POOL_FLAG_NON_PAGED")]
    [InlineData("NonPagedPoolExecute", "POOL_FLAG_NON_PAGED")]
    [InlineData("NonPagedPoolNxCacheAligned", "POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED")]
    [InlineData("PagedPoolCacheAligned", "POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED")]
    [InlineData("NonPagedPoolCacheAligned", "POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED")]
    [InlineData("PagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE", "POOL_FLAG_PAGED | POOL_FLAG_RAISE_ON_FAILURE")]
    public Task FixWritesTheMatchingFlags(string poolType, string flags) =>
        Verify.VerifyCodeFixAsync(
            Driver("ExAllocatePool2([|" + poolType + "|], size, Tag)"),
            Driver("ExAllocatePool2(" + flags + ", size, Tag)"));

    [Theory]
    [InlineData("NonPagedPool", "POOL_FLAG_NON_PAGED_EXECUTE")]
    [InlineData("NonPagedPoolCacheAligned", "POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_CACHE_ALIGNED")]
    public Task ExecutablePoolOffersTheExecutableFlagSecond(string poolType, string flags) => new Verify.Test
    {
        TestCode = Driver("ExAllocatePool2([|" + poolType + "|], size, Tag)"),
        FixedCode = Driver("ExAllocatePool2(" + flags + ", size, Tag)"),
        CodeActionIndex = 1,
        CodeActionEquivalenceKey = PoolTypeAsPoolFlagsCodeFix.ExecutableFlagsKey,
    }.RunAsync();

    [Fact]
    public Task PoolTypeFromAVariableHasNoFix() => new Verify.Test
    {
        TestCode = Driver("ExAllocatePool2([|type|], size, Tag)").Replace("nuint size", "nuint size, POOL_TYPE type"),
    }.RunAsync();

    [Fact]
    public Task TagZeroGetsTheTypesTag() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            PVOID A(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
            PVOID B(nuint size) => ExAllocatePool3(POOL_FLAG_PAGED, size, [|0|], NULL, 0);
        }
        """, """
        class Driver
        {
            private const uint Tag = 0x74736554;

            PVOID A(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
            PVOID B(nuint size) => ExAllocatePool3(POOL_FLAG_PAGED, size, Tag, NULL, 0);
        }
        """);

    [Fact]
    public Task FixAllGivesEveryTaglessCallOneNewConstant() => Verify.VerifyCodeFixAsync("""
        class Filter
        {
            PVOID A(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, [|0|]);
            PVOID B(nuint size) => ExAllocatePool2(POOL_FLAG_PAGED, size, [|0x0|]);
        }
        """, """
        class Filter
        {
            private const uint PoolTag = 0x746C6946; // "Filt" in pool dumps

            PVOID A(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, PoolTag);
            PVOID B(nuint size) => ExAllocatePool2(POOL_FLAG_PAGED, size, PoolTag);
        }
        """);

    [Fact]
    public Task BothFindingsInOneCallAreFixedOneAfterTheOther() => new Verify.Test
    {
        TestCode = Driver("ExAllocatePool2([|PagedPool|], size, [|0|])"),
        FixedCode = Driver("ExAllocatePool2(POOL_FLAG_PAGED, size, Tag)").Replace("ExAllocatePool2(POOL_FLAG_PAGED, size, Tag)", "ExAllocatePool2(POOL_FLAG_PAGED, size, [|0|])"),
        // The tag-0 finding remains: its fix has another equivalence key. (By default the framework ignores markup
        // of fixable diagnostics in the fixed code.)
        FixedState = { MarkupHandling = MarkupMode.Allow },
        CodeActionEquivalenceKey = PoolTypeAsPoolFlagsCodeFix.FlagsKey,
    }.RunAsync();
}
