using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Fix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<DriverBuffers.Analyzers.IoModes.DirectIoLengthAnalyzer, DriverBuffers.CodeFixes.IoModes.DirectIoLengthCodeFix>;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.DirectIoLengthAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV043: direct-I/O transfer length read from the stack location instead of the MDL.</summary>
public class Drv043Tests
{
    [Fact]
    public Task FlagsLengthThroughStackLocal() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = {|#0:stack.Parameters.Read.Length|};
                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyMemory(buffer, data, length);
                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("stack.Parameters.Read.Length", "Irp"));

    [Fact]
    public Task FlagsDirectCallChainAndWriteLength() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT device, IRP irp, PVOID sink)
            {
                PVOID buffer = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                RtlCopyMemory(sink, buffer, [|IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length|]);
                irp.IoStatus.Information = [|IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length|];
                IoCompleteRequest(irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentWithMmGetMdlByteCount() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                uint length = MmGetMdlByteCount(Irp.MdlAddress);
                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyMemory(buffer, data, length);
                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentForBufferedIoWithoutMdl() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = stack.Parameters.Read.Length;
                RtlCopyMemory(Irp.AssociatedIrp.SystemBuffer, data, length);
                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentForSizeChecksAndNullMdlChecks() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, IRP other, PVOID data)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                if (stack.Parameters.Read.Length == 0)
                {
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_SUCCESS;
                }

                uint length = stack.Parameters.Read.Length;
                if (length == 0) { return STATUS_SUCCESS; }
                if (stack.Parameters.Read.Length < sizeof(int)) { return STATUS_BUFFER_TOO_SMALL; }
                uint size = stack.Parameters.Read.Length;
                if (4 > size) { return STATUS_BUFFER_TOO_SMALL; }
                uint before = stack.Parameters.Read.Length;
                if (Irp.MdlAddress == default) { return STATUS_SUCCESS; }
                stack.Parameters.Read.Length = MmGetMdlByteCount(Irp.MdlAddress);
                uint otherLength = IoGetCurrentIrpStackLocation(other).Parameters.Read.Length;
                RtlCopyMemory(MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute), data, MmGetMdlByteCount(Irp.MdlAddress));
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task FlagsLengthClampedAgainstAVariable() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data, uint available)
            {
                uint length = [|IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length|];
                if (length > available) { length = available; }
                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyMemory(buffer, data, length);
                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>Clamping the stack length against a constant is not a size check: the length is still the transfer length (was silent).</summary>
    [Fact]
    public Task FlagsLengthClampedAgainstAConstant() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const uint RAMDISK_SIZE = 512;

            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                IO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = [|stack.Parameters.Read.Length|];
                if (length > RAMDISK_SIZE)
                {
                    length = RAMDISK_SIZE;
                }

                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyMemory(buffer, data, length);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentForBufferedIoAssertingNoMdlAndForHelperArguments() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                if (Irp.MdlAddress != NULL) { return STATUS_INVALID_DEVICE_REQUEST; }
                Irp.IoStatus.Information = stack.Parameters.Write.Length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                uint length = MmGetMdlByteCount(Irp.MdlAddress);
                Trace(IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length, length);
                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static void Trace(uint requested, uint described) { }
        }
        """);

    [Fact]
    public Task SilentForAmbiguousStackLocal() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static uint Length(IRP first, IRP second, bool pick)
            {
                var stack = IoGetCurrentIrpStackLocation(first);
                if (pick) { stack = IoGetCurrentIrpStackLocation(second); }
                PMDL mdl = first.MdlAddress;
                return stack.Parameters.Read.Length;
            }
        }
        """);

    [Fact]
    public Task FixUsesMmGetMdlByteCountAndKeepsTrivia() => Fix.VerifyCodeFixAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = /* bytes */ [|stack.Parameters.Read.Length|] /* to copy */;
                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyMemory(buffer, data, length);
                Irp.IoStatus.Information = [|stack.Parameters.Read.Length|];
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static void DispatchWrite(DEVICE_OBJECT DeviceObject, IRP irp, PVOID sink)
            {
                PVOID buffer = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                RtlCopyMemory(sink, buffer,
                    [|IoGetCurrentIrpStackLocation(irp).Parameters.Write.Length|]); // all of it
            }
        }
        """, """
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = /* bytes */ MmGetMdlByteCount(Irp.MdlAddress) /* to copy */;
                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyMemory(buffer, data, length);
                Irp.IoStatus.Information = MmGetMdlByteCount(Irp.MdlAddress);
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static void DispatchWrite(DEVICE_OBJECT DeviceObject, IRP irp, PVOID sink)
            {
                PVOID buffer = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                RtlCopyMemory(sink, buffer,
                    MmGetMdlByteCount(irp.MdlAddress)); // all of it
            }
        }
        """);

    [Fact]
    public Task FixAllFixesEveryDocumentInProjectAndSolutionScope() => new Fix.Test
    {
        // The verifier applies Fix All in document, project and solution scope; the project scope must reach both files.
        TestState =
        {
            Sources =
            {
                ("Read.cs", """
                    class ReadDispatch
                    {
                        static uint Length(IRP Irp)
                        {
                            PMDL mdl = Irp.MdlAddress;
                            return [|IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length|];
                        }
                    }
                    """),
                ("Write.cs", """
                    class WriteDispatch
                    {
                        static uint Length(IRP irp)
                        {
                            PMDL mdl = irp.MdlAddress;
                            var stack = IoGetCurrentIrpStackLocation(irp);
                            return [|stack.Parameters.Write.Length|] + [|stack.Parameters.Write.Length|];
                        }
                    }
                    """),
            },
        },
        FixedState =
        {
            Sources =
            {
                ("Read.cs", """
                    class ReadDispatch
                    {
                        static uint Length(IRP Irp)
                        {
                            PMDL mdl = Irp.MdlAddress;
                            return MmGetMdlByteCount(Irp.MdlAddress);
                        }
                    }
                    """),
                ("Write.cs", """
                    class WriteDispatch
                    {
                        static uint Length(IRP irp)
                        {
                            PMDL mdl = irp.MdlAddress;
                            var stack = IoGetCurrentIrpStackLocation(irp);
                            return MmGetMdlByteCount(irp.MdlAddress) + MmGetMdlByteCount(irp.MdlAddress);
                        }
                    }
                    """),
            },
        },
    }.RunAsync();

    [Fact]
    public Task FixQualifiesWhenWdmIsNotImported() => Fix.VerifyCodeFixAsync("""
        namespace N
        {
            using DriverBuffers;

            class Driver
            {
                static uint Length(IRP Irp)
                {
                    PMDL mdl = Irp.MdlAddress;
                    return [|Wdm.IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length|];
                }

                static uint MmGetMdlByteCount(PMDL mdl) => 0;
            }
        }
        """, """
        namespace N
        {
            using DriverBuffers;

            class Driver
            {
                static uint Length(IRP Irp)
                {
                    PMDL mdl = Irp.MdlAddress;
                    return Wdm.MmGetMdlByteCount(Irp.MdlAddress);
                }

                static uint MmGetMdlByteCount(PMDL mdl) => 0;
            }
        }
        """);

    [Fact]
    public Task NoFixWhereTheIrpIsOutOfScope() => new Fix.Test
    {
        TestCode = """
            class Driver
            {
                static uint Length(Func<IRP> next)
                {
                    IO_STACK_LOCATION stack;
                    {
                        IRP inner = next();
                        stack = IoGetCurrentIrpStackLocation(inner);
                        PMDL mdl = inner.MdlAddress;
                    }

                    return [|stack.Parameters.Read.Length|];
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task NoCrashOnIncompleteCode() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
                {
                    var stack = IoGetCurrentIrpStackLocation(;
                    uint length = stack.Parameters.Read.;
                    PMDL mdl = Irp.MdlAddress
                    uint other = [|IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length|]
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();
}
