using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer,
    DriverBuffers.CodeFixes.Allocation.PoolFreeMismatchCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV034: a free with another tag than the allocation's, and a block freed twice on some path.</summary>
public class Drv034PoolFreeMismatchTests
{
    [Fact]
    public Task FlagsAFreeWithAnotherTag() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint ReadTag = 0x64616552;
            private const uint WriteTag = 0x74697257;

            void Transfer(nuint size)
            {
                PVOID buffer = {|#1:ExAllocatePool2(POOL_FLAG_NON_PAGED, size, ReadTag)|};
                buffer.Write<int>(0, 1);
                {|#0:ExFreePoolWithTag(buffer, WriteTag)|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1)
            .WithArguments("'buffer' is freed with tag WriteTag, but it was allocated by ExAllocatePool2 at line 8 with tag ReadTag; free it with ReadTag"));

    [Fact]
    public Task FlagsAFreeOnAPathThatAlreadyFreed() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS Transfer(nuint size, bool fail)
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                if (fail)
                {
                    {|#1:ExFreePoolWithTag(buffer, Tag)|};
                }

                {|#0:ExFreePool(buffer)|};
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1)
            .WithArguments("'buffer' is freed by ExFreePool here, but on some path it was already freed by ExFreePoolWithTag at line 10; free it once, or set it to NULL after the first free"));

    [Fact]
    public Task FlagsDoubleFreesThroughCleanupLabelsLoopsAndFinally() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS Cleanup(nuint size, bool fail)
            {
                NTSTATUS status = STATUS_SUCCESS;
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                if (fail)
                {
                    ExFreePoolWithTag(buffer, Tag);
                    status = STATUS_UNSUCCESSFUL;
                    goto Exit;
                }

            Exit:
                if (buffer != NULL)
                {
                    [|ExFreePoolWithTag(buffer, Tag)|];
                }

                return status;
            }

            void Loop(PVOID buffer, int count)
            {
                for (var i = 0; i < count; i++)
                {
                    [|ExFreePool(buffer)|];
                }
            }

            void Finally(nuint size)
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                try
                {
                    ExFreePoolWithTag(buffer, Tag);
                }
                finally
                {
                    [|ExFreePoolWithTag(buffer, Tag)|];
                }
            }

            void InLambda()
            {
                Action release = () =>
                {
                    PVOID buffer = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
                    ExFreePool(buffer);
                    [|ExFreePool(buffer)|];
                };
            }
        }
        """);

    [Fact]
    public Task FlagsADoubleFreeInALambdaPassedInABranchCondition() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x6D626C4C;

            static bool Run(Func<bool> work) => work();

            void InCondition()
            {
                if (Run(() =>
                {
                    PVOID buffer = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
                    ExFreePool(buffer);
                    [|ExFreePool(buffer)|];
                    return true;
                }))
                {
                    return;
                }
            }
        }
        """);

    [Fact]
    public Task CorrectFreesAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;
            private const uint SameTag = 0x74736554;

            NTSTATUS Transfer(nuint size, bool fail)
            {
                PVOID buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                if (buffer == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                if (fail)
                {
                    ExFreePoolWithTag(buffer, Tag);
                    buffer = NULL;
                }

                if (buffer != NULL)
                {
                    ExFreePoolWithTag(buffer, SameTag);
                }

                for (var i = 0; i < 4; i++)
                {
                    PVOID chunk = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                    ExFreePoolWithTag(chunk, Tag);
                }

                PVOID legacy = ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag);
                ExFreePool(legacy);
                return STATUS_SUCCESS;
            }

            void Unknown(PVOID p, uint tag)
            {
                ExFreePoolWithTag(p, tag);
            }

            void Reallocated(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                ExFreePoolWithTag(p, Tag);
                p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                ExFreePoolWithTag(p, Tag);
            }

            void OutParameter(out PVOID p) => p = NULL;

            void Overwritten(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                ExFreePoolWithTag(p, Tag);
                OutParameter(out p);
                ExFreePool(p);
            }
        }
        """);

    [Fact]
    public Task FixFreesWithTheAllocationsTag() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            private const uint ReadTag = 0x64616552;
            private const uint WriteTag = 0x74697257;

            void Transfer(nuint size)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, ReadTag);
                PVOID b = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x6F6F6C50);
                var c = a;
                [|ExFreePoolWithTag(c, WriteTag /* was */)|];
                [|ExFreePoolWithTag(b, WriteTag)|];
            }
        }
        """, """
        class Driver
        {
            private const uint ReadTag = 0x64616552;
            private const uint WriteTag = 0x74697257;

            void Transfer(nuint size)
            {
                PVOID a = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, ReadTag);
                PVOID b = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x6F6F6C50);
                var c = a;
                ExFreePoolWithTag(c, ReadTag /* was */);
                ExFreePoolWithTag(b, 0x6F6F6C50);
            }
        }
        """);

    [Fact]
    public Task HelpersThatFreeTheirParameterCountAtTheCallSite() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint ReadTag = 0x64616552;
            private const uint WriteTag = 0x74697257;

            static void Release(PVOID buffer)
            {
                if (buffer != NULL)
                {
                    ExFreePoolWithTag(buffer, ReadTag);
                }
            }

            static void ReleaseVia(PVOID buffer) => Release(buffer);

            static void ReleaseSometimes(PVOID buffer, bool now)
            {
                if (now)
                {
                    ExFreePool(buffer);
                }
            }

            static void ReleaseOther(PVOID buffer)
            {
                buffer = ExAllocatePool2(POOL_FLAG_PAGED, 8, ReadTag);
                ExFreePoolWithTag(buffer, ReadTag);
            }

            void Twice(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, ReadTag);
                {|#1:Release(p)|};
                {|#0:ExFreePoolWithTag(p, ReadTag)|};
            }

            void WrongTagThroughTwoHelpers(nuint size)
            {
                PVOID p = {|#3:ExAllocatePool2(POOL_FLAG_PAGED, size, WriteTag)|};
                {|#2:ReleaseVia(p)|};
            }

            void NotOnEveryPath(nuint size, bool now)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, ReadTag);
                ReleaseSometimes(p, now);
                ReleaseOther(p);
                ExFreePoolWithTag(p, ReadTag);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1)
            .WithArguments("'p' is freed by ExFreePoolWithTag here, but on some path it was already freed by Release at line 33; free it once, or set it to NULL after the first free"),
        Verify.Diagnostic().WithLocation(2).WithLocation(3)
            .WithArguments("'p' is freed with tag ReadTag (by ReleaseVia), but it was allocated by ExAllocatePool2 at line 39 with tag WriteTag; free it with WriteTag"));

    [Fact]
    public Task FollowsPointersHeldInFields() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public PVOID WriteBuffer;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;
            private static readonly DEVICE_CONTEXT Context = new();
            private static PVOID Statistics;
            private static PVOID History;
            private PVOID _scratch;

            static void Log() { }

            static void ResetStatistics() => Statistics = NULL;

            void ReleaseTwice()
            {
                if (Context.WriteBuffer != NULL)
                {
                    ExFreePoolWithTag(Context.WriteBuffer, Tag);
                }

                [|ExFreePoolWithTag(Context.WriteBuffer, Tag)|];
            }

            void ThisField()
            {
                ExFreePool(this._scratch);
                [|ExFreePool(_scratch)|];
            }

            void AcrossAHelperThatWritesNoField()
            {
                ExFreePool(History);
                Log();                      // no function of the driver writes History after construction
                [|ExFreePool(History)|];
            }

            void ReleaseRight(DEVICE_CONTEXT ctx, DEVICE_CONTEXT other)
            {
                if (Context.WriteBuffer != NULL)
                {
                    ExFreePoolWithTag(Context.WriteBuffer, Tag);
                    Context.WriteBuffer = NULL;
                }

                ExFreePool(Statistics);
                ResetStatistics();          // the driver's own code writes the field
                ExFreePool(Statistics);

                ExFreePool(ctx.WriteBuffer);
                ctx = other;                // another context
                ExFreePool(ctx.WriteBuffer);
            }
        }
        """);

    [Fact]
    public Task DoubleFreeHasNoFix() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                void Release(PVOID buffer)
                {
                    ExFreePool(buffer);
                    [|ExFreePool(buffer)|];
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task FollowsAliasesDeeperPathsAndTypedContexts() => Verify.VerifyAnalyzerAsync("""
        public sealed class TRANSFER
        {
            public PVOID Buffer;
        }

        public sealed class DEVICE_CONTEXT
        {
            public PVOID Scratch;
            public TRANSFER Transfer = new();
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            void Aliases(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                PVOID q = p;
                ExFreePoolWithTag(p, Tag);
                [|ExFreePoolWithTag(q, Tag)|];
            }

            void ContextPath(WDFDEVICE device)
            {
                ExFreePoolWithTag(GetDeviceContext(device).Scratch, Tag);
                [|ExFreePoolWithTag(GetDeviceContext(device).Scratch, Tag)|];
            }

            void DeepPath(DEVICE_CONTEXT ctx)
            {
                ExFreePool(ctx.Transfer.Buffer);
                [|ExFreePool(ctx.Transfer.Buffer)|];
            }

            void AliasReallocated(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                PVOID q = p;
                ExFreePoolWithTag(p, Tag);
                q = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                ExFreePoolWithTag(q, Tag);
            }

            void PathReassigned(DEVICE_CONTEXT ctx, TRANSFER other)
            {
                ExFreePool(ctx.Transfer.Buffer);
                ctx.Transfer = other;
                ExFreePool(ctx.Transfer.Buffer);
            }
        }
        """);

    [Fact]
    public Task HelperDepthZero_FollowsNoHelper() => WithHelperDepth(0, """
            class Driver
            {
                private const uint Tag = 0x64616552;

                static void Release(PVOID buffer) => ExFreePoolWithTag(buffer, Tag);

                void Twice(nuint size)
                {
                    PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                    Release(p);
                    ExFreePoolWithTag(p, Tag);
                }
            }
            """);

    [Fact]
    public Task HelperDepthOne_FollowsOneLevel() => WithHelperDepth(1, """
            class Driver
            {
                private const uint Tag = 0x64616552;

                static void Release(PVOID buffer) => ExFreePoolWithTag(buffer, Tag);

                static void ReleaseVia(PVOID buffer) => Release(buffer);

                void Direct(nuint size)
                {
                    PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                    Release(p);
                    [|ExFreePoolWithTag(p, Tag)|];
                }

                void TwoLevels(nuint size)
                {
                    PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                    ReleaseVia(p);
                    ExFreePoolWithTag(p, Tag);
                }
            }
            """);

    /// <summary>
    /// Issue 11 (CancelSafeQueue): the file context is allocated with one tag at IRP_MJ_CREATE, kept in the device
    /// extension, and freed with another tag at IRP_MJ_CLOSE, in another method: the tag follows the field.
    /// </summary>
    [Fact]
    public Task FlagsAFreeWithAnotherTagOfPoolKeptInADeviceExtension() => Verify.VerifyAnalyzerAsync("""
        class Extension
        {
            public PVOID FileContext;
        }

        class Driver
        {
            private const uint Tag = 0x4D415343;
            private const uint FileContextTag = 0x4346534D;

            NTSTATUS Create(Extension extension)
            {
                PVOID fileContext = {|#1:ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag)|};
                if (fileContext == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                extension.FileContext = fileContext;
                return STATUS_SUCCESS;
            }

            void Close(Extension extension)
            {
                PVOID fileContext = extension.FileContext;
                extension.FileContext = NULL;
                {|#0:ExFreePoolWithTag(fileContext, FileContextTag)|};
            }

            void CloseDirectly(Extension extension)
            {
                {|#2:ExFreePoolWithTag(extension.FileContext, FileContextTag)|};
                extension.FileContext = NULL;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1)
            .WithArguments("'fileContext' is freed with tag FileContextTag, but it was allocated by ExAllocatePool2 at line 13 with tag Tag; free it with Tag"),
        Verify.Diagnostic().WithLocation(2).WithLocation(1)
            .WithArguments("'extension.FileContext' is freed with tag FileContextTag, but it was allocated by ExAllocatePool2 at line 13 with tag Tag; free it with Tag"));

    /// <summary>
    /// The correct shape (CancelSafeQueue as shipped): the same tag at both ends is silent; so is a member that also
    /// holds something not followed (a caller's block, a helper's result, an <c>out</c> argument): its tag is unknown.
    /// </summary>
    [Fact]
    public Task SilentForPoolKeptInAFieldFreedWithItsTagOrOfUnknownOrigin() => Verify.VerifyAnalyzerAsync("""
        class Extension
        {
            public PVOID FileContext;
            public PVOID Shared;
            public PVOID Made;
            public PVOID Out;
        }

        class Driver
        {
            private const uint Tag = 0x4D415343;
            private const uint OtherTag = 0x4346534D;

            static PVOID Make() => ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, OtherTag);

            static void Fill(out PVOID block) => block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, OtherTag);

            void Create(Extension extension, PVOID callers)
            {
                PVOID fileContext = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                extension.FileContext = fileContext;
                extension.Shared = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                extension.Made = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                extension.Out = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
            }

            void Adopt(Extension extension, PVOID callers)
            {
                extension.Shared = callers;
                extension.Made = Make();
                Fill(out extension.Out);
            }

            void Close(Extension extension)
            {
                PVOID fileContext = extension.FileContext;
                extension.FileContext = NULL;
                ExFreePoolWithTag(fileContext, Tag);
                ExFreePoolWithTag(extension.Shared, OtherTag);
                ExFreePoolWithTag(extension.Made, OtherTag);
                ExFreePoolWithTag(extension.Out, OtherTag);
            }
        }
        """);

    private static Task WithHelperDepth(int depth, string source) => new Verify.Test
    {
        TestCode = source,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = " + depth + "\n") } },
    }.RunAsync();
}
