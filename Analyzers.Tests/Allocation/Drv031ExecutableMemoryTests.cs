using System.Collections.Generic;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.CodeFixes.Allocation;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.ExecutableMemoryAnalyzer,
    DriverBuffers.CodeFixes.Allocation.ExecutableMemoryCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV031: executable pool types and flags, executable MDL mappings.</summary>
public class Drv031ExecutableMemoryTests
{
    [Fact]
    public Task FlagsExecutablePoolWhereMemoryIsRequested() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;
            private static readonly POOL_TYPE DefaultPool = {|#0:NonPagedPool|};

            POOL_TYPE Choose(bool paged) => paged ? PagedPool : {|#1:NonPagedPoolExecute|};

            void Create(nuint size, PMDL mdl)
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, {|#2:NonPagedPool|}, Tag, size, out var memory, out var buffer);
                WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, size, {|#3:NonPagedPoolCacheAligned|}, WDF_NO_OBJECT_ATTRIBUTES, Tag, out var lookaside);
                var p = ExAllocatePool2({|#4:POOL_FLAG_NON_PAGED_EXECUTE|} | POOL_FLAG_CACHE_ALIGNED, size, Tag);
                var va = MmGetSystemAddressForMdlSafe(mdl, {|#5:NormalPagePriority|});
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("NonPagedPool", "NonPagedPoolNx"),
        Verify.Diagnostic().WithLocation(1).WithArguments("NonPagedPoolExecute", "NonPagedPoolNx"),
        Verify.Diagnostic().WithLocation(2).WithArguments("WdfMemoryCreate with NonPagedPool", "NonPagedPoolNx"),
        Verify.Diagnostic().WithLocation(3).WithArguments("WdfLookasideListCreate with NonPagedPoolCacheAligned", "NonPagedPoolNxCacheAligned"),
        Verify.Diagnostic().WithLocation(4).WithArguments("ExAllocatePool2 with POOL_FLAG_NON_PAGED_EXECUTE", "POOL_FLAG_NON_PAGED"),
        Verify.Diagnostic().WithLocation(5).WithArguments("MmGetSystemAddressForMdlSafe with NormalPagePriority", "NormalPagePriority | MdlMappingNoExecute"));

    [Fact]
    public Task NonExecutableFormsComparisonsAndOtherRulesFindingsAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Create(nuint size, PMDL mdl, POOL_TYPE type, uint priority)
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, size, out var memory, out var buffer);
                var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                var va = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                var vb = MmGetSystemAddressForMdlSafe(mdl, priority); // not a constant: cannot tell
                if (type == NonPagedPool) { }                          // a comparison asks for nothing
                switch (type.Value) { case 0: break; }

                // A pool type given as flags fails the call whatever the type: DRV033's one finding (its fix writes
                // the non-executable flag).
                var r = ExAllocatePool2(NonPagedPool, size, Tag);
            }
        }
        """);

    [Fact]
    public Task FixWritesTheNxForms() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Create(nuint size, PMDL mdl)
            {
                const uint Priority = NormalPagePriority;
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, [|NonPagedPool|], Tag, size, out var memory, out var buffer);
                WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, size, [|Wdm.NonPagedPoolCacheAligned|], WDF_NO_OBJECT_ATTRIBUTES, Tag, out var lookaside);
                var p = ExAllocatePool2([|POOL_FLAG_NON_PAGED_EXECUTE|] /* code page */ | POOL_FLAG_CACHE_ALIGNED, size, Tag);
                var va = MmGetSystemAddressForMdlSafe(mdl, [|HighPagePriority|]);
                var vb = MmGetSystemAddressForMdlSafe(mdl, [|Priority|]);
            }
        }
        """, """
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Create(nuint size, PMDL mdl)
            {
                const uint Priority = NormalPagePriority;
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, size, out var memory, out var buffer);
                WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, size, Wdm.NonPagedPoolNxCacheAligned, WDF_NO_OBJECT_ATTRIBUTES, Tag, out var lookaside);
                var p = ExAllocatePool2(POOL_FLAG_NON_PAGED /* code page */ | POOL_FLAG_CACHE_ALIGNED, size, Tag);
                var va = MmGetSystemAddressForMdlSafe(mdl, HighPagePriority | MdlMappingNoExecute);
                var vb = MmGetSystemAddressForMdlSafe(mdl, Priority | MdlMappingNoExecute);
            }
        }
        """);

    [Fact]
    public Task FlagsExecutablePoolGivenToADeprecatedAllocatorBesideDrv030() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Create(nuint size)
            {
                var p = ExAllocatePoolWithTag({|#0:NonPagedPool|}, size, Tag);
                var q = ExAllocatePoolWithQuotaTag({|#1:NonPagedPoolExecute|} | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, size, Tag);
                var r = ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag);   // deprecated only: DRV030's
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("ExAllocatePoolWithTag with NonPagedPool", "NonPagedPoolNx"),
        Verify.Diagnostic().WithLocation(1).WithArguments("ExAllocatePoolWithQuotaTag with NonPagedPoolExecute", "NonPagedPoolNx"));

    [Fact]
    public Task BesideDrv030_EachFixAloneLeavesTheOtherRulesFinding() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            PVOID Create(nuint size) => ExAllocatePoolWithTag([|NonPagedPool|], size, Tag);
        }
        """, """
        class Driver
        {
            private const uint Tag = 0x74736554;

            PVOID Create(nuint size) => ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag);
        }
        """);

    [Fact]
    public async Task BesideDrv030_BothRulesFixedTogetherCompileWithNeitherFinding()
    {
        // DRV030 and DRV031 on the same calls, both fixers offered, Fix All in every scope: the result compiles and
        // has neither finding (DRV030's fix resolves both; DRV031's leaves a call DRV030's fix then rewrites).
        var test = new BothRules
        {
            TestCode = """
                class Driver
                {
                    private const uint Tag = 0x74736554;

                    void Create(nuint size)
                    {
                        PVOID p = {|DRV030:ExAllocatePoolWithTag({|DRV031:NonPagedPool|}, size, Tag)|};
                        if (p == NULL)
                        {
                            return;
                        }

                        RtlZeroMemory(p, size);
                        PVOID q = {|DRV030:ExAllocatePoolWithTag({|DRV031:NonPagedPoolExecute|}, size, Tag)|};
                        ExFreePoolWithTag(q, Tag);
                        ExFreePoolWithTag(p, Tag);
                    }
                }
                """,
            FixedCode = """
                class Driver
                {
                    private const uint Tag = 0x74736554;

                    void Create(nuint size)
                    {
                        PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                        if (p == NULL)
                        {
                            return;
                        }

                        PVOID q = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                        ExFreePoolWithTag(q, Tag);
                        ExFreePoolWithTag(p, Tag);
                    }
                }
                """,
            CodeActionEquivalenceKey = null,
        };
        await test.RunAsync();
    }

    /// <summary>DRV030 and DRV031 with both their fixes.</summary>
    private sealed class BothRules : CSharpCodeFixVerifier<DeprecatedPoolAllocationAnalyzer, DeprecatedPoolAllocationCodeFix>.Test
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            new DiagnosticAnalyzer[] { new DeprecatedPoolAllocationAnalyzer(), new ExecutableMemoryAnalyzer() };

        protected override IEnumerable<CodeFixProvider> GetCodeFixProviders() =>
            new CodeFixProvider[] { new DeprecatedPoolAllocationCodeFix(), new ExecutableMemoryCodeFix() };
    }
}
