using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.CodeFixes.Allocation;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.ObsoleteMdlMappingAnalyzer,
    DriverBuffers.CodeFixes.Allocation.ObsoleteMdlMappingCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV032: MmGetSystemAddressForMdl, and the NULL check the fix adds in the method's convention.</summary>
public class Drv032ObsoleteMdlMappingTests
{
    [Fact]
    public Task FlagsTheObsoleteCallNamingTheMdl() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Map(IRP Irp)
            {
                var va = {|#0:MmGetSystemAddressForMdl(Irp.MdlAddress)|};
                var safe = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Irp.MdlAddress"));

    [Fact]
    public Task NtStatusMethodReturnsInsufficientResources() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            NTSTATUS Map(PMDL mdl)
            {
                PVOID va = [|MmGetSystemAddressForMdl(mdl)|]; // the caller's buffer
                va.Write<int>(0, 1);
                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            NTSTATUS Map(PMDL mdl)
            {
                PVOID va = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute); // the caller's buffer
                if (va == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                va.Write<int>(0, 1);
                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>A WDM dispatch routine owns its IRP: the NULL check completes it before returning (it used to just return, leaving the IRP pending forever).</summary>
    [Fact]
    public Task WdmDispatchRoutineCompletesTheIrp() => Verify.VerifyCodeFixAsync("""
        class RamDisk
        {
            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID buffer = [|MmGetSystemAddressForMdl(Irp.MdlAddress)|];
                buffer.Write<int>(0, 1);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """, """
        class RamDisk
        {
            NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    Irp.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
                    Irp.IoStatus.Information = 0;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                buffer.Write<int>(0, 1);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task QueueCallbackCompletesTheRequest() => Verify.VerifyCodeFixAsync("""
        class Queue
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputWdmMdl(Request, out var mdl);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                var buffer = [|MmGetSystemAddressForMdl(mdl)|];
                buffer.Write<byte>(0, 0x42);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 1);
            }
        }
        """, """
        class Queue
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputWdmMdl(Request, out var mdl);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                var buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
                    return;
                }

                buffer.Write<byte>(0, 0x42);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 1);
            }
        }
        """);

    [Fact]
    public Task CheckedGotoExitLabelOfAQueueCallbackIsFollowed() => Verify.VerifyCodeFixAsync("""
        class Queue
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputWdmMdl(Request, out var mdl);
                if (!NT_SUCCESS(status)) goto Exit;
                var buffer = [|MmGetSystemAddressForMdl(mdl)|];
                buffer.Write<byte>(0, 0x42);
            Exit:
                WdfRequestComplete(Request, status);
            }
        }
        """, """
        class Queue
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputWdmMdl(Request, out var mdl);
                if (!NT_SUCCESS(status)) goto Exit;
                var buffer = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    goto Exit;
                }

                buffer.Write<byte>(0, 0x42);
            Exit:
                WdfRequestComplete(Request, status);
            }
        }
        """);

    [Fact]
    public Task GotoExitLabelSetsTheStatusAndJumps() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            NTSTATUS Copy(PMDL mdl, nuint size)
            {
                NTSTATUS status;
                PVOID scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x74736554);
                PVOID va;
                if (scratch == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    goto Exit;
                }

                va = [|MmGetSystemAddressForMdl(mdl)|];
                RtlCopyMemory(scratch, va, size);
                status = STATUS_SUCCESS;

            Exit:
                if (scratch != NULL)
                {
                    ExFreePoolWithTag(scratch, 0x74736554);
                }

                return status;
            }
        }
        """, """
        class Driver
        {
            NTSTATUS Copy(PMDL mdl, nuint size)
            {
                NTSTATUS status;
                PVOID scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, 0x74736554);
                PVOID va;
                if (scratch == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    goto Exit;
                }

                va = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (va == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    goto Exit;
                }

                RtlCopyMemory(scratch, va, size);
                status = STATUS_SUCCESS;

            Exit:
                if (scratch != NULL)
                {
                    ExFreePoolWithTag(scratch, 0x74736554);
                }

                return status;
            }
        }
        """);

    [Fact]
    public Task TheCallOnlyVariantIsOfferedSecond() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                NTSTATUS Map(PMDL mdl)
                {
                    var va = [|Wdm.MmGetSystemAddressForMdl(mdl)|];
                    return STATUS_SUCCESS;
                }
            }
            """,
        FixedCode = """
            class Driver
            {
                NTSTATUS Map(PMDL mdl)
                {
                    var va = Wdm.MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                    return STATUS_SUCCESS;
                }
            }
            """,
        CodeActionIndex = 1,
        CodeActionEquivalenceKey = ObsoleteMdlMappingCodeFix.CallOnlyKey,
    }.RunAsync();

    [Fact]
    public Task WithoutAConventionOnlyTheCallIsReplaced() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                int Map(PMDL mdl) => [|MmGetSystemAddressForMdl(mdl)|].Read<int>(0);

                void Touch(PMDL mdl)
                {
                    var va = [|MmGetSystemAddressForMdl(mdl)|];
                    va.Write<int>(0, 1);
                }
            }
            """,
        FixedCode = """
            class Driver
            {
                int Map(PMDL mdl) => MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute).Read<int>(0);

                void Touch(PMDL mdl)
                {
                    var va = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                    va.Write<int>(0, 1);
                }
            }
            """,
        CodeActionEquivalenceKey = ObsoleteMdlMappingCodeFix.CallOnlyKey,
    }.RunAsync();

    [Fact]
    public Task NoNullCheckVariantWithoutAConvention() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                void Touch(PMDL mdl)
                {
                    var va = [|MmGetSystemAddressForMdl(mdl)|];
                }
            }
            """,
        CodeActionEquivalenceKey = ObsoleteMdlMappingCodeFix.WithNullCheckKey,
    }.RunAsync();

    [Fact]
    public Task AnExistingNullCheckIsNotDuplicated() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            NTSTATUS Map(PMDL mdl)
            {
                var va = [|MmGetSystemAddressForMdl(mdl)|];
                if (va == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            NTSTATUS Map(PMDL mdl)
            {
                var va = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                if (va == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task FixAllChecksEveryMapping() => Verify.VerifyCodeFixAsync("""
        class Driver
        {
            NTSTATUS Map(PMDL a, PMDL b)
            {
                var first = [|MmGetSystemAddressForMdl(a)|];
                var second = [|MmGetSystemAddressForMdl(b)|];
                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            NTSTATUS Map(PMDL a, PMDL b)
            {
                var first = MmGetSystemAddressForMdlSafe(a, NormalPagePriority | MdlMappingNoExecute);
                if (first == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                var second = MmGetSystemAddressForMdlSafe(b, NormalPagePriority | MdlMappingNoExecute);
                if (second == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                return STATUS_SUCCESS;
            }
        }
        """);
}
