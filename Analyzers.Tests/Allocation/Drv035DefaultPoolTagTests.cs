using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.DefaultPoolTagAnalyzer,
    DriverBuffers.CodeFixes.Allocation.DefaultPoolTagCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV035: default and placeholder pool tags ('Ddk ', 'Wdm ', 'None', either byte order).</summary>
public class Drv035DefaultPoolTagTests
{
    [Fact]
    public Task FlagsDefaultTagsInEitherByteOrderAndThroughConstants() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint DefaultTag = 0x206B6444;      // ' kdD': 'Ddk ' as a pool dump shows it

            void Allocate(nuint size)
            {
                var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, {|#0:0x44646B20|});
                var b = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, {|#1:DefaultTag|});
                var c = ExAllocatePoolWithTag(NonPagedPoolNx, size, {|#2:0x57646D20|});
                var d = ExAllocatePoolZero(PagedPool, size, {|#3:0x656E6F4E|});
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, {|#4:0x4E6F6E65|}, size, out var memory, out var buffer);
                WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, size, NonPagedPoolNx, WDF_NO_OBJECT_ATTRIBUTES, {|#5:0x206D6457|}, out var lookaside);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("ExAllocatePool2", "0x44646B20", "'Ddk '", "0x44646B20"),
        Verify.Diagnostic().WithLocation(1).WithArguments("ExAllocatePool2", "DefaultTag", "'Ddk '", "0x206B6444"),
        Verify.Diagnostic().WithLocation(2).WithArguments("ExAllocatePoolWithTag", "0x57646D20", "'Wdm '", "0x57646D20"),
        Verify.Diagnostic().WithLocation(3).WithArguments("ExAllocatePoolZero", "0x656E6F4E", "'None'", "0x656E6F4E"),
        Verify.Diagnostic().WithLocation(4).WithArguments("WdfMemoryCreate", "0x4E6F6E65", "'None'", "0x4E6F6E65"),
        Verify.Diagnostic().WithLocation(5).WithArguments("WdfLookasideListCreate", "0x206D6457", "'Wdm '", "0x206D6457"));

    [Fact]
    public Task OwnTagsFreesAndUnknownTagsAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x6F686345;             // 'Echo'

            void Allocate(nuint size, uint tag, PVOID old)
            {
                var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                var b = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, tag);   // not a constant: cannot tell
                var c = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x6B644420); // 'Ddk' rotated: not a default tag
                ExFreePoolWithTag(old, 0x44646B20);                           // a free names the allocation's tag
                ExFreePoolWithTag(a, Tag);
            }
        }
        """);

    [Fact]
    public Task FixDeclaresANamedTagAndFreesKeepMatching() => Verify.VerifyCodeFixAsync("""
        class TransferQueue
        {
            void Allocate(nuint size)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, [|0x44646B20|] /* Ddk */);
                PVOID b = ExAllocatePoolWithTag(NonPagedPoolNx, size, [|0x656E6F4E|]);
                ExFreePoolWithTag(a, 0x44646B20);
                ExFreePoolWithTag(b, 0x656E6F4E);
            }
        }
        """, """
        class TransferQueue
        {
            private const uint PoolTag = 0x6E617254; // "Tran" in pool dumps

            void Allocate(nuint size)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, PoolTag /* Ddk */);
                PVOID b = ExAllocatePoolWithTag(NonPagedPoolNx, size, PoolTag);
                ExFreePoolWithTag(a, PoolTag);
                ExFreePoolWithTag(b, PoolTag);
            }
        }
        """);

    [Fact]
    public Task FixUsesTheTypesOwnTagAndReplacesADefaultConstantsUses() => Verify.VerifyCodeFixAsync("""
        class Echo
        {
            private const uint EchoTag = 0x6F686345;
            private const uint Placeholder = 0x206D6457;

            void Allocate(nuint size)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, EchoTag);
                PVOID b = ExAllocatePool2(POOL_FLAG_PAGED, size, [|Placeholder|]);
                ExFreePoolWithTag(b, Placeholder);
                ExFreePoolWithTag(a, EchoTag);
            }
        }
        """, """
        class Echo
        {
            private const uint EchoTag = 0x6F686345;
            private const uint Placeholder = 0x206D6457;

            void Allocate(nuint size)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, EchoTag);
                PVOID b = ExAllocatePool2(POOL_FLAG_PAGED, size, EchoTag);
                ExFreePoolWithTag(b, EchoTag);
                ExFreePoolWithTag(a, EchoTag);
            }
        }
        """);

    [Fact]
    public Task FlagsTheTagOfAWdmLookasideList() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint ListTag = 0x7473694C;          // 'List'
            private const uint Placeholder = 0x656E6F4E;      // 'None'
            private NPAGED_LOOKASIDE_LIST? list;
            private NPAGED_LOOKASIDE_LIST? own;

            void Initialize(nuint size)
            {
                ExInitializeNPagedLookasideList(out var first, NULL, NULL, POOL_NX_ALLOCATION, size, {|#0:0x206B6444|}, 0);
                ExInitializeNPagedLookasideList(out var second, NULL, NULL, 0, size, {|#1:Placeholder|}, 0);
                ExInitializeNPagedLookasideList(out var third, NULL, NULL, POOL_NX_ALLOCATION, size, ListTag, 0);
                list = first;
                own = third;
                ExDeleteNPagedLookasideList(second);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("ExInitializeNPagedLookasideList", "0x206B6444", "'Ddk '", "0x206B6444"),
        Verify.Diagnostic().WithLocation(1).WithArguments("ExInitializeNPagedLookasideList", "Placeholder", "'None'", "0x656E6F4E"));

    [Fact]
    public Task FixNamesTheTagOfAWdmLookasideList() => Verify.VerifyCodeFixAsync("""
        class RecordCache
        {
            private NPAGED_LOOKASIDE_LIST? records;

            void Initialize(nuint size)
            {
                ExInitializeNPagedLookasideList(out var list, NULL, NULL, POOL_NX_ALLOCATION, size, [|0x206B6444|], 0);
                records = list;
            }
        }
        """, """
        class RecordCache
        {
            private const uint PoolTag = 0x6F636552; // "Reco" in pool dumps

            private NPAGED_LOOKASIDE_LIST? records;

            void Initialize(nuint size)
            {
                ExInitializeNPagedLookasideList(out var list, NULL, NULL, POOL_NX_ALLOCATION, size, PoolTag, 0);
                records = list;
            }
        }
        """);
}
