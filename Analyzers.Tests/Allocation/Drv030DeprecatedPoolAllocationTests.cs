using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.DeprecatedPoolAllocationAnalyzer,
    DriverBuffers.CodeFixes.Allocation.DeprecatedPoolAllocationCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV030: what is flagged, what stays silent, and how the fix treats tags, zeroing and layout.</summary>
public class Drv030DeprecatedPoolAllocationTests
{
    [Fact]
    public Task FlagsEachDeprecatedAllocatorWithWhatToUse() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size)
            {
                var a = {|#0:ExAllocatePool(NonPagedPoolNx, size)|};
                var b = {|#1:ExAllocatePoolWithTag(PagedPool, size, Tag)|};
                var c = {|#2:ExAllocatePoolWithQuota(NonPagedPoolNx, size)|};
                var d = {|#3:ExAllocatePoolWithQuotaTag(NonPagedPool, size, Tag)|};
                var e = {|#4:Wdm.ExAllocatePoolWithTagPriority(NonPagedPoolNx, size, Tag, NormalPoolPriority)|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("ExAllocatePool", "ExAllocatePool2 with POOL_FLAG_NON_PAGED and a pool tag"),
        Verify.Diagnostic().WithLocation(1).WithArguments("ExAllocatePoolWithTag", "ExAllocatePool2 with POOL_FLAG_PAGED"),
        Verify.Diagnostic().WithLocation(2).WithArguments("ExAllocatePoolWithQuota", "ExAllocatePool2 with POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE and a pool tag"),
        Verify.Diagnostic().WithLocation(3).WithArguments("ExAllocatePoolWithQuotaTag", "ExAllocatePool2 with POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE (POOL_FLAG_NON_PAGED_EXECUTE only if the memory must be executable)"),
        Verify.Diagnostic().WithLocation(4).WithArguments("ExAllocatePoolWithTagPriority", "ExAllocatePool3 with POOL_FLAG_NON_PAGED and a PoolExtendedParameterPriority parameter"));

    [Fact]
    public Task CurrentAllocatorsAndLookalikesAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            static PVOID ExAllocatePoolWithTag(POOL_TYPE type, nuint size, uint tag) => NULL;

            void Allocate(nuint size)
            {
                var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                var b = ExAllocatePool3(POOL_FLAG_PAGED, size, Tag, new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority, Priority = LowPoolPriority }, 1);
                var c = ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag); // the driver's own helper, not the DDI
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, size, out var memory, out var buffer);
            }
        }
        """);

    [Fact]
    public Task RemovesTheZeroingThatFollowsDirectly() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size)
            {
                PVOID buffer = [|ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag)|];
                RtlZeroMemory(buffer, size);
                buffer.Write<int>(0, 1);
                ExFreePoolWithTag(buffer, Tag);
            }
        }
        """, """
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size)
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                buffer.Write<int>(0, 1);
                ExFreePoolWithTag(buffer, Tag);
            }
        }
        """);

    [Fact]
    public Task RemovesTheZeroingAfterTheNullCheckKeepingCommentsAndLayout() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;
            private PVOID _reply;

            NTSTATUS Allocate(nuint size)
            {
                // The reply buffer.
                _reply = [|ExAllocatePoolWithTag(
                    PagedPool,   // pageable: touched at PASSIVE_LEVEL only
                    size,
                    Tag)|]; // freed in Cleanup
                if (_reply == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                // Clear it: the application reads it back.
                RtlZeroMemory(_reply, size);

                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            private const uint Tag = 0x74736554;
            private PVOID _reply;

            NTSTATUS Allocate(nuint size)
            {
                // The reply buffer.
                _reply = ExAllocatePool2(
                    POOL_FLAG_PAGED,   // pageable: touched at PASSIVE_LEVEL only
                    size,
                    Tag); // freed in Cleanup
                if (_reply == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                // Clear it: the application reads it back.

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task KeepsZeroingOfAnotherSizeOrBufferOrPlace() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size, PVOID other)
            {
                PVOID a = [|ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag)|];
                RtlZeroMemory(a, size - 4);
                PVOID b = [|ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag)|];
                RtlZeroMemory(other, size);
                PVOID c = [|ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag)|];
                c.Write<int>(0, 1);
                RtlZeroMemory(c, size);
                PVOID d = [|ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag)|];
                if (d == NULL)
                {
                    other.Write<int>(0, 1); // falls through: not a NULL check that leaves
                }
                RtlZeroMemory(d, size);
            }
        }
        """, """
        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size, PVOID other)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                RtlZeroMemory(a, size - 4);
                PVOID b = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                RtlZeroMemory(other, size);
                PVOID c = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                c.Write<int>(0, 1);
                RtlZeroMemory(c, size);
                PVOID d = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                if (d == NULL)
                {
                    other.Write<int>(0, 1); // falls through: not a NULL check that leaves
                }
                RtlZeroMemory(d, size);
            }
        }
        """);

    [Fact]
    public Task UntaggedCallsInATypeWithoutTagShareOneNewConstant() => Verify.VerifyCodeFixAsync("""
        class EchoDevice
        {
            void Allocate(nuint size)
            {
                var a = [|ExAllocatePool(NonPagedPoolNx, size)|];
                var b = [|ExAllocatePoolWithQuota(PagedPool, size)|];
                ExFreePool(a);
                ExFreePool(b);
            }
        }
        """, """
        class EchoDevice
        {
            private const uint PoolTag = 0x6F686345; // "Echo" in pool dumps

            void Allocate(nuint size)
            {
                var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, PoolTag);
                var b = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, size, PoolTag);
                ExFreePool(a);
                ExFreePool(b);
            }
        }
        """);

    [Fact]
    public Task UntaggedCallUsesTheTypesOnlyTagConstant() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint DriverTag = 0x76697244;

            PVOID Allocate(nuint size) => [|ExAllocatePool(NonPagedPoolNx, size)|];

            void Create(nuint size)
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, DriverTag, size, out var memory, out var buffer);
            }
        }
        """, """
        class Driver
        {
            private const uint DriverTag = 0x76697244;

            PVOID Allocate(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, DriverTag);

            void Create(nuint size)
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, DriverTag, size, out var memory, out var buffer);
            }
        }
        """);

    [Fact]
    public Task UntaggedCallInATypeWithTwoTagsGetsANewConstantNeverZero() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint ReadTag = 0x64616552;
            private const uint WriteTag = 0x74697257;
            private int PoolTag;

            void Allocate(nuint size)
            {
                var r = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, ReadTag);
                var w = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, WriteTag);
                var x = [|ExAllocatePool(PagedPool, size)|];
            }
        }
        """, """
        class Driver
        {
            private const uint PoolTag2 = 0x76697244; // "Driv" in pool dumps

            private const uint ReadTag = 0x64616552;
            private const uint WriteTag = 0x74697257;
            private int PoolTag;

            void Allocate(nuint size)
            {
                var r = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, ReadTag);
                var w = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, WriteTag);
                var x = ExAllocatePool2(POOL_FLAG_PAGED, size, PoolTag2);
            }
        }
        """);

    [Fact]
    public Task KeepsTheQualifiedStyleAndNamedArguments() => Verify.VerifyCodeFixAsync("""
        using W = DriverBuffers.Wdm;

        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size)
            {
                var a = [|W.ExAllocatePoolWithTag(Tag: Tag, NumberOfBytes: size, PoolType: W.PagedPool)|];
            }
        }
        """, """
        using W = DriverBuffers.Wdm;

        class Driver
        {
            private const uint Tag = 0x74736554;

            void Allocate(nuint size)
            {
                var a = W.ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
            }
        }
        """);

    [Fact]
    public Task FixAllConvertsEveryCallOfTheDocument() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS Allocate(nuint size)
            {
                PVOID a = [|ExAllocatePoolWithTag(NonPagedPool, size, Tag)|];
                if (a == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                RtlZeroMemory(a, size);
                PVOID b = [|ExAllocatePoolWithTagPriority(PagedPool, size, Tag, LowPoolPriority)|];
                RtlZeroMemory(b, size);
                PVOID c = [|ExAllocatePool(NonPagedPoolNx, 64)|];
                ExFreePoolWithTag(c, Tag);
                ExFreePoolWithTag(b, Tag);
                ExFreePoolWithTag(a, Tag);
                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS Allocate(nuint size)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                if (a == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                PVOID b = ExAllocatePool3(POOL_FLAG_PAGED, size, Tag, new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority, Priority = LowPoolPriority }, 1);
                PVOID c = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                ExFreePoolWithTag(c, Tag);
                ExFreePoolWithTag(b, Tag);
                ExFreePoolWithTag(a, Tag);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task FixAllConvertsEveryCallOfTheProject() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("Read.cs", """
                    class ReadPath
                    {
                        PVOID Allocate(nuint size) => [|ExAllocatePool(PagedPool, size)|];
                    }
                    """),
                ("Write.cs", """
                    class WritePath
                    {
                        private const uint Tag = 0x74697257;

                        PVOID Allocate(nuint size) => [|ExAllocatePoolWithQuotaTag(NonPagedPoolNx, size, Tag)|];
                    }
                    """),
            },
        },
        FixedState =
        {
            Sources =
            {
                ("Read.cs", """
                    class ReadPath
                    {
                        private const uint PoolTag = 0x64616552; // "Read" in pool dumps

                        PVOID Allocate(nuint size) => ExAllocatePool2(POOL_FLAG_PAGED, size, PoolTag);
                    }
                    """),
                ("Write.cs", """
                    class WritePath
                    {
                        private const uint Tag = 0x74697257;

                        PVOID Allocate(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, size, Tag);
                    }
                    """),
            },
        },
    }.RunAsync();

    [Fact]
    public Task APartialTypeInTwoFilesGetsItsNewTagConstantOnceInItsFirstDeclaration() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("Read.cs", """
                    partial class EchoDevice
                    {
                        PVOID AllocateRead(nuint size) => [|ExAllocatePool(PagedPool, size)|];
                    }
                    """),
                ("Write.cs", """
                    partial class EchoDevice
                    {
                        PVOID AllocateWrite(nuint size) => [|ExAllocatePool(NonPagedPoolNx, size)|];
                    }
                    """),
            },
        },
        FixedState =
        {
            Sources =
            {
                ("Read.cs", """
                    partial class EchoDevice
                    {
                        private const uint PoolTag = 0x6F686345; // "Echo" in pool dumps

                        PVOID AllocateRead(nuint size) => ExAllocatePool2(POOL_FLAG_PAGED, size, PoolTag);
                    }
                    """),
                ("Write.cs", """
                    partial class EchoDevice
                    {
                        PVOID AllocateWrite(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, PoolTag);
                    }
                    """),
            },
        },
        // The second part is fixed on the pass after the first part declared the constant.
        NumberOfFixAllIterations = -2,
        NumberOfFixAllInDocumentIterations = -2,
    }.RunAsync();

    [Fact]
    public Task SuppressedByPragma() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            PVOID Allocate(nuint size)
            {
        #pragma warning disable DRV030 // legacy path kept for Windows 10 1909
                return ExAllocatePoolWithTag(NonPagedPoolNx, size, 0x74736554);
        #pragma warning restore DRV030
            }
        }
        """);

    [Fact]
    public Task SeverityFromEditorConfig() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                PVOID Allocate(nuint size) => {|#0:ExAllocatePoolWithTag(NonPagedPoolNx, size, 0x74736554)|};
            }
            """,
        TestState =
        {
            AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.DRV030.severity = error") },
        },
        ExpectedDiagnostics =
        {
            Verify.Diagnostic().WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithMessage(null),
        },
        FixedCode = """
            class Driver
            {
                PVOID Allocate(nuint size) => ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x74736554);
            }
            """,
    }.RunAsync();

    [Fact]
    public Task GeneratedCodeIsSkipped() => new Verify.Test
    {
        TestCode = "class Handwritten { }",
        TestState =
        {
            Sources =
            {
                ("Generated.g.cs", "// <auto-generated/>\nclass Generated { PVOID Allocate(nuint size) => ExAllocatePoolWithTag(NonPagedPoolNx, size, 0x74736554); }"),
            },
        },
    }.RunAsync();
}
