using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Allocation.UseAfterFreeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV036: pool, an MDL, a lookaside entry or a memory object used after it was freed or deleted.</summary>
public class Drv036UseAfterFreeTests
{
    [Fact]
    public Task FlagsAPoolBlockWrittenAfterItsFree() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS Transfer(WDFREQUEST Request, nuint size)
            {
                PVOID copy = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                if (copy == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 4, out PVOID input, out nuint length);
                if (!NT_SUCCESS(status))
                {
                    {|#1:ExFreePoolWithTag(copy, Tag)|};
                }

                {|#0:copy.Write<uint>(0, 1)|};
                ExFreePoolWithTag(copy, Tag);
                return status;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1)
            .WithArguments("copy", "Write", "freed", "ExFreePoolWithTag", "16"));

    [Fact]
    public Task FlagsUsesThroughAliasesFieldsMdlsLookasideEntriesAndMemoryObjects() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public PVOID Scratch;
            public NPAGED_LOOKASIDE_LIST Lookaside = null!;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            void Alias(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                PVOID q = p + 4;
                ExFreePoolWithTag(p, Tag);
                [|q.Write<byte>(0, 1)|];
            }

            void Field(DEVICE_CONTEXT ctx)
            {
                ExFreePoolWithTag(ctx.Scratch, Tag);
                [|RtlZeroMemory(ctx.Scratch, 16)|];
            }

            void Mdl(PVOID block)
            {
                PMDL mdl = IoAllocateMdl(block, 64, false, false, null);
                IoFreeMdl(mdl);
                var count = [|MmGetMdlByteCount(mdl)|];
                [|IoFreeMdl(mdl)|];
            }

            void Lookaside(DEVICE_CONTEXT ctx)
            {
                PVOID entry = ExAllocateFromNPagedLookasideList(ctx.Lookaside);
                ExFreeToNPagedLookasideList(ctx.Lookaside, entry);
                [|entry.Write<uint>(0, 7)|];
            }

            void Memory(nuint size)
            {
                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, size, out WDFMEMORY memory, out PVOID buffer);
                WdfObjectDelete(memory);
                [|buffer.Write<uint>(0, 1)|];
                var again = [|WdfMemoryGetBuffer(memory, out nuint length)|];
            }
        }
        """);

    [Fact]
    public Task FollowsHelpersThatFreeOrUse() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Release(PVOID block)
            {
                if (block != NULL)
                {
                    ExFreePoolWithTag(block, Tag);
                }
            }

            static void Fill(PVOID block, nuint size) => RtlFillMemory(block, size, 0xFF);

            static void Log(nuint size) { }

            void FreedByAHelper(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                {|#2:Release(p)|};
                {|#1:p.Write<uint>(0, 1)|};
            }

            void UsedByAHelper(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                {|#4:ExFreePoolWithTag(p, Tag)|};
                {|#3:Fill(p, size)|};
                Log(size);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(1).WithLocation(2).WithArguments("p", "Write", "freed", "Release", "20"),
        Verify.Diagnostic().WithLocation(3).WithLocation(4).WithArguments("p", "Fill", "freed", "ExFreePoolWithTag", "27"));

    /// <summary>
    /// The WDK's hid/firefly FireflySetFeature frees the preparsed data once HidP_GetCaps has read the capabilities, then
    /// hands it to HidP_SetUsages, which reads it (directly, or through a helper of its own): reported at the call the
    /// driver wrote, with the helper's name.
    /// </summary>
    [Fact]
    public Task FreedPreparsedDataPassedToAHelperThatReadsIt() => Verify.VerifyAnalyzerAsync(PreparsedData("""
                {|#1:ExFreePool(preparsedData)|};
                status = {|#0:SetUsages(preparsedData, report, 2)|};
                var other = {|#2:SetUsagesThroughALayer(preparsedData, report, 2)|};
        """),
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("preparsedData", "SetUsages", "freed", "ExFreePool", "29"),
        Verify.Diagnostic().WithLocation(2).WithLocation(1).WithArguments("preparsedData", "SetUsagesThroughALayer", "freed", "ExFreePool", "29"));

    /// <summary>The shipped firefly: the preparsed data is read by the helpers first and freed once, at the end.</summary>
    [Fact]
    public Task Silent_PreparsedDataReadByTheHelperBeforeItIsFreed() => Verify.VerifyAnalyzerAsync(PreparsedData("""
                status = SetUsages(preparsedData, report, 2);
                status = SetUsagesThroughALayer(preparsedData, report, 2);
                ExFreePool(preparsedData);
        """));

    private static string PreparsedData(string afterCaps) => $$"""
        class Driver
        {
            private const uint Tag = 0x796c6666;

            static NTSTATUS SetUsages(PVOID PreparsedData, PVOID Report, uint ReportLength)
            {
                if (ReportLength != PreparsedData.Read<ushort>(0))
                {
                    return STATUS_INVALID_PARAMETER;
                }

                Report.Write<byte>(1, 1);
                return STATUS_SUCCESS;
            }

            static NTSTATUS SetUsagesThroughALayer(PVOID PreparsedData, PVOID Report, uint ReportLength) =>
                SetUsages(PreparsedData, Report, ReportLength);

            NTSTATUS SetFeature(uint descriptorSize)
            {
                NTSTATUS status;
                PVOID preparsedData = ExAllocatePool2(POOL_FLAG_NON_PAGED, descriptorSize, Tag);
                PVOID report = ExAllocatePool2(POOL_FLAG_NON_PAGED, 2, Tag);
                if (preparsedData == NULL || report == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

        {{afterCaps}}
                ExFreePool(report);
                return status;
            }
        }
        """;

    [Fact]
    public Task CorrectPatternsAreSilent() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public PVOID Scratch;
            public NPAGED_LOOKASIDE_LIST Lookaside = null!;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS CleanupLabel(WDFREQUEST Request, nuint size)
            {
                NTSTATUS status;
                PVOID copy = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                if (copy == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    goto Exit;
                }

                status = WdfRequestRetrieveInputBuffer(Request, 4, out PVOID input, out nuint length);
                if (!NT_SUCCESS(status))
                {
                    ExFreePoolWithTag(copy, Tag);
                    copy = NULL;
                    goto Exit;
                }

                RtlCopyMemory(copy, input, 4);

            Exit:
                if (copy != NULL)
                {
                    copy.Write<uint>(0, 0);
                    ExFreePoolWithTag(copy, Tag);
                }

                return status;
            }

            void LoopAllocatesEachTime(int count)
            {
                for (var i = 0; i < count; i++)
                {
                    PVOID chunk = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                    if (chunk == NULL)
                    {
                        return;
                    }

                    chunk.Write<int>(0, i);
                    ExFreePoolWithTag(chunk, Tag);
                }
            }

            void Reallocated(nuint size)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                ExFreePoolWithTag(p, Tag);
                p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                p.Write<int>(0, 1);
                ExFreePoolWithTag(p, Tag);
            }

            void EitherOr(nuint size, bool keep)
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_PAGED, size, Tag);
                if (keep)
                {
                    p.Write<int>(0, 1);
                }
                else
                {
                    ExFreePoolWithTag(p, Tag);
                }
            }

            void MdlUsedBeforeItIsFreed(PVOID block)
            {
                PMDL mdl = IoAllocateMdl(block, 64, false, false, null);
                if (mdl == default)
                {
                    return;
                }

                MmBuildMdlForNonPagedPool(mdl);
                var count = MmGetMdlByteCount(mdl);
                IoFreeMdl(mdl);
                mdl = default;
            }

            void LookasideEntry(DEVICE_CONTEXT ctx)
            {
                PVOID entry = ExAllocateFromNPagedLookasideList(ctx.Lookaside);
                if (entry == NULL)
                {
                    return;
                }

                entry.Write<uint>(0, 7);
                ExFreeToNPagedLookasideList(ctx.Lookaside, entry);
            }

            void FieldReset(DEVICE_CONTEXT ctx)
            {
                if (ctx.Scratch != NULL)
                {
                    ExFreePoolWithTag(ctx.Scratch, Tag);
                    ctx.Scratch = NULL;
                }

                if (ctx.Scratch != NULL)
                {
                    ctx.Scratch.Write<int>(0, 1);
                }
            }

            void MemoryObject(nuint size)
            {
                if (!NT_SUCCESS(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tag, size, out WDFMEMORY memory, out PVOID buffer)))
                {
                    return;
                }

                buffer.Write<uint>(0, 1);
                WdfObjectDelete(memory);
            }
        }
        """);

    /// <summary>
    /// general/registry/regfltr's CreateCallbackContext: one allocation holds the context and, 48 bytes in, the altitude
    /// string; an object initializer keeps both pointers, a helper that writes no field runs in between, and the failure
    /// path frees the block through the first field and then zeroes the string through the second.
    /// </summary>
    [Fact]
    public Task FlagsAPointerIntoAFreedBlockHeldInASecondField() => Verify.VerifyAnalyzerAsync(CallbackContext("""
                ExFreePoolWithTag(ctx.Block, Tag);
                [|RtlZeroMemory(ctx.AltitudeBuffer, 16)|];
        """));

    /// <summary>The shipped order: the string is cleared before the block that holds it is freed.</summary>
    [Fact]
    public Task Silent_TheSecondFieldUsedBeforeTheFree() => Verify.VerifyAnalyzerAsync(CallbackContext("""
                RtlZeroMemory(ctx.AltitudeBuffer, 16);
                ExFreePoolWithTag(ctx.Block, Tag);
        """));

    /// <summary>A helper that re-points the second field on an existing context may run between the free and the use: not known freed.</summary>
    [Fact]
    public Task Silent_AHelperThatWritesTheFieldRunsAfterTheFree() => Verify.VerifyAnalyzerAsync(CallbackContext("""
                ExFreePoolWithTag(ctx.Block, Tag);
                Repoint(ctx);
                RtlZeroMemory(ctx.AltitudeBuffer, 16);
        """, """
            static void Repoint(CALLBACK_CONTEXT context) => context.AltitudeBuffer = Spare;
        """));

    private static string CallbackContext(string failurePath, string helpers = "") => $$"""
        public sealed class CALLBACK_CONTEXT
        {
            public PVOID Block;
            public PVOID AltitudeBuffer;
            public long ProcessId;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;
            private static PVOID Spare;

            static long CurrentProcessId() => 4;
        {{helpers}}

            CALLBACK_CONTEXT? Create(nuint size, bool fail)
            {
                CALLBACK_CONTEXT? ctx = null;
                PVOID block = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
                if (block == NULL)
                {
                    return null;
                }

                ctx = new CALLBACK_CONTEXT { Block = block, AltitudeBuffer = block + 48 };
                ctx.ProcessId = CurrentProcessId();
                if (fail)
                {
        {{failurePath}}
                    return null;
                }

                return ctx;
            }
        }
        """;
}
