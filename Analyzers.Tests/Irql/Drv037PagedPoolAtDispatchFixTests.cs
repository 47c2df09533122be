using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer,
    DriverBuffers.CodeFixes.Irql.PagedPoolAtDispatchCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>DRV037's fix: the allocation takes nonpaged pool; touches and PAGED_CODE() get no fix.</summary>
public class Drv037PagedPoolAtDispatchFixTests
{
    private const string Before = """
        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Setup()
            {
                WDF_TIMER_CONFIG_INIT(out var config, EvtTimer);
            }

            static void EvtTimer(WDFTIMER Timer)
            {
                var a = ExAllocatePool2(POOL_FLAG_PAGED /* scratch */ | POOL_FLAG_UNINITIALIZED, 8, Tag);
                var b = ExAllocatePoolZero(Wdm.PagedPool, 8, Tag);
                var c = ExAllocatePoolZero(PagedPoolCacheAligned, 8, Tag);
                a.Write<byte>(0, 1);
                ExFreePoolWithTag(a, Tag);
                ExFreePoolWithTag(b, Tag);
                ExFreePoolWithTag(c, Tag);
            }
        }
        """;

    private const string After = """
        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Setup()
            {
                WDF_TIMER_CONFIG_INIT(out var config, EvtTimer);
            }

            static void EvtTimer(WDFTIMER Timer)
            {
                var a = ExAllocatePool2(POOL_FLAG_NON_PAGED /* scratch */ | POOL_FLAG_UNINITIALIZED, 8, Tag);
                var b = ExAllocatePoolZero(Wdm.NonPagedPoolNx, 8, Tag);
                var c = ExAllocatePoolZero(NonPagedPoolNxCacheAligned, 8, Tag);
                a.Write<byte>(0, 1);
                ExFreePoolWithTag(a, Tag);
                ExFreePoolWithTag(b, Tag);
                ExFreePoolWithTag(c, Tag);
            }
        }
        """;

    private static DiagnosticResult[] Findings() => new[]
    {
        Finding(12, 17, 97, 33, 48, "ExAllocatePool2", "POOL_FLAG_PAGED", "POOL_FLAG_NON_PAGED"),
        Finding(13, 17, 58, 36, 49, "ExAllocatePoolZero", "PagedPool", "NonPagedPoolNx"),
        Finding(14, 17, 66, 36, 57, "ExAllocatePoolZero", "PagedPoolCacheAligned", "NonPagedPoolNxCacheAligned"),
    };

    private static DiagnosticResult Finding(int line, int start, int end, int constantStart, int constantEnd, string allocator, string paged, string nonPaged) =>
        Verify.Diagnostic().WithSpan(line, start, line, end).WithSpan(line, constantStart, line, constantEnd).WithArguments(
            $"{allocator} allocates paged pool ({paged})",
            "the timer callback 'EvtTimer' (registered by WDF_TIMER_CONFIG_INIT at line 7)",
            $"allocate nonpaged pool ({nonPaged})");

    [Fact]
    public Task FixAllWritesNonPagedPoolKeepingQualifiersAndTrivia() => new Verify.Test
    {
        TestCode = Before,
        FixedCode = After,
        ExpectedDiagnostics = { Findings()[0], Findings()[1], Findings()[2] },
        NumberOfFixAllIterations = 1,
    }.RunAsync();

    [Fact]
    public Task NoFixForPagedCodeOrATouch() => new Verify.Test
    {
        TestCode = """
            public sealed class EXTENSION
            {
                public PVOID Counters;
            }

            class Driver
            {
                private const uint Tag = 0x74736554;

                static void Add(EXTENSION e) => e.Counters = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);

                static void Setup() => WDF_DPC_CONFIG_INIT(out var config, EvtDpc);

                static void EvtDpc(WDFDPC Dpc)
                {
                    PAGED_CODE();
                    var e = new EXTENSION();
                    e.Counters.Write<byte>(0, 1);
                }
            }
            """,
        ExpectedDiagnostics =
        {
            Verify.Diagnostic().WithSpan(16, 9, 16, 21).WithArguments("PAGED_CODE() is reached", "the DPC callback 'EvtDpc' (registered by WDF_DPC_CONFIG_INIT at line 12)", "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)"),
            Verify.Diagnostic().WithSpan(18, 9, 18, 37).WithArguments("'e.Counters' is paged pool (allocated at line 10) and is written", "the DPC callback 'EvtDpc' (registered by WDF_DPC_CONFIG_INIT at line 12)", "keep this memory in nonpaged pool (POOL_FLAG_NON_PAGED), or touch it at PASSIVE_LEVEL (a work item)"),
        },
        FixedCode = """
            public sealed class EXTENSION
            {
                public PVOID Counters;
            }

            class Driver
            {
                private const uint Tag = 0x74736554;

                static void Add(EXTENSION e) => e.Counters = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);

                static void Setup() => WDF_DPC_CONFIG_INIT(out var config, EvtDpc);

                static void EvtDpc(WDFDPC Dpc)
                {
                    PAGED_CODE();
                    var e = new EXTENSION();
                    e.Counters.Write<byte>(0, 1);
                }
            }
            """,
    }.RunAsync();
}
