using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.UnprobedUserAddressAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV042: neither-I/O user address touched without probing.</summary>
public class Drv042Tests
{
    [Fact]
    public Task FlagsUserBufferCopiedWithoutProbe() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static readonly PVOID Data = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x64657246);

            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = stack.Parameters.Read.Length;
                PVOID buffer = {|#1:Irp.UserBuffer|};
                {|#0:RtlCopyMemory(buffer, Data, length)|};
                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "RtlCopyMemory", "buffer", "Irp.UserBuffer", 9,
            "without probing it: call ProbeForRead/ProbeForWrite inside a try block that catches NtStatusException, or WdfRequestProbeAndLockUserBufferForRead/Write"));

    [Fact]
    public Task FlagsUnsafeRetrievedBufferReadDirectly() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void InCallerContext(WDFDEVICE device, WDFREQUEST request)
            {
                NTSTATUS status = {|#1:WdfRequestRetrieveUnsafeUserInputBuffer(request, 4, out PVOID input, out nuint length)|};
                if (!NT_SUCCESS(status)) { WdfRequestComplete(request, status); return; }
                int command = {|#0:(input + 4).Read<int>(0)|};
                WdfDeviceEnqueueRequest(device, request);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "PVOID.Read", "input + 4", "WdfRequestRetrieveUnsafeUserInputBuffer", 5,
            "without probing it: call ProbeForRead/ProbeForWrite inside a try block that catches NtStatusException, or WdfRequestProbeAndLockUserBufferForRead/Write"));

    [Fact]
    public Task FlagsAccessOutsideTheProbingTry() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID kernel)
            {
                PVOID user = {|#1:Irp.UserBuffer|};
                try
                {
                    {|#2:ProbeForRead(user, 16, 1)|};
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                {|#0:RtlCopyMemory(kernel, user, 16)|};
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
            "RtlCopyMemory", "user", "Irp.UserBuffer", 5,
            "outside any try/catch (it was probed by ProbeForRead at line 8); user memory can become invalid at any time, so touch it only inside a try block"));

    [Fact]
    public Task FlagsProbeWithoutTry() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Write(WDFREQUEST request, WDFMEMORY memory)
            {
                WdfRequestRetrieveUnsafeUserOutputBuffer(request, 8, out PVOID output, out nuint length);
                ProbeForWrite(output, length, 1);
                {|DRV042:WdfMemoryCopyToBuffer(memory, 0, output, length)|};
            }
        }
        """);

    [Fact]
    public Task FlagsWhenProbedOnOnlyOnePath() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, bool check)
            {
                try
                {
                    if (check)
                    {
                        ProbeForWrite(Irp.UserBuffer, 4, 4);
                    }

                    {|DRV042:Irp.UserBuffer.Write<int>(0, 42)|};
                    Irp.UserBuffer.Write<int>(0, 43);
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentForProbeInsideTryCatch() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = stack.Parameters.Write.Length;
                PVOID kernel = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, 0x64657246);
                if (kernel == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                NTSTATUS status = STATUS_SUCCESS;
                try
                {
                    PVOID user = Irp.UserBuffer;
                    ProbeForRead(user, length, 1);
                    RtlCopyMemory(kernel, user, length);
                    int first = (user + 0).Read<int>(0);
                    PVOID second = user + 4;
                    second.CopyTo(new byte[4], 0);
                }
                catch (NtStatusException e)
                {
                    status = e.Status;
                }

                RtlZeroMemory(kernel, length);
                ExFreePoolWithTag(kernel, 0x64657246);
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        }
        """);

    [Fact]
    public Task SilentWhenProbedInOneTryAndTouchedInAnother() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID kernel)
            {
                PVOID user = Irp.UserBuffer;
                uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
                if (Irp.RequestorMode != KernelMode)
                {
                    try
                    {
                        ProbeForRead(user, length, 1);
                    }
                    catch (NtStatusException e)
                    {
                        return e.Status;
                    }
                }

                try
                {
                    RtlCopyMemory(kernel, user, length);
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentForProbeAndLockedMemory() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void InCallerContext(WDFDEVICE device, WDFREQUEST request)
            {
                NTSTATUS status = WdfRequestRetrieveUnsafeUserInputBuffer(request, 4, out PVOID input, out nuint length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(request, status); return; }
                status = WdfRequestProbeAndLockUserBufferForRead(request, input, length, out WDFMEMORY locked);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(request, status); return; }
                PVOID safe = WdfMemoryGetBuffer(locked, out nuint size);
                int command = safe.Read<int>(0);
                WdfDeviceEnqueueRequest(device, request);
            }
        }
        """);

    [Fact]
    public Task SilentForBufferedAndDirectIo() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
                RtlCopyMemory(Irp.AssociatedIrp.SystemBuffer, data, length);
                PVOID mapped = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (mapped != NULL)
                {
                    RtlCopyMemory(mapped, data, MmGetMdlByteCount(Irp.MdlAddress));
                }

                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentWhenAddressIsOnlyPassedOnOrReplaced() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Use(IRP Irp, PVOID kernel, WDFREQUEST request)
            {
                PVOID user = Irp.UserBuffer;
                Keep(user);
                PMDL mdl = IoAllocateMdl(user, 16, false, false, Irp);
                user = kernel;
                user.Write<int>(0, 1);
                WdfRequestRetrieveUnsafeUserInputBuffer(request, 4, out PVOID input, out nuint length);
                Replace(out input);
                input.Write<int>(0, 1);
            }

            static void Keep(PVOID pointer) { }

            static void Replace(out PVOID pointer) => pointer = NULL;
        }
        """);

    [Fact]
    public Task SilentForKernelModeRequestor() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID data)
            {
                if (Irp.RequestorMode == KernelMode)
                {
                    RtlCopyMemory(Irp.UserBuffer, data, 4);
                }
                else
                {
                    try
                    {
                        ProbeForWrite(Irp.UserBuffer, 4, 1);
                        RtlCopyMemory(Irp.UserBuffer, data, 4);
                    }
                    catch (NtStatusException e)
                    {
                        return e.Status;
                    }
                }

                if (!(Irp.RequestorMode != KernelMode))
                {
                    Irp.UserBuffer.Write<int>(0, 1);
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task FlagsUserModeRequestorBranch() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                if (Irp.RequestorMode != KernelMode)
                {
                    {|DRV042:Irp.UserBuffer.Write<int>(0, 1)|};
                }

                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task FlagsUnprobedType3InputBuffer() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                PVOID input = {|#1:stack.Parameters.DeviceIoControl.Type3InputBuffer|};
                uint command = {|#0:input.Read<uint>(0)|};
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "PVOID.Read", "input", "stack.Parameters.DeviceIoControl.Type3InputBuffer", 6,
            "without probing it: call ProbeForRead/ProbeForWrite inside a try block that catches NtStatusException, or WdfRequestProbeAndLockUserBufferForRead/Write"));

    [Fact]
    public Task SilentForProbedType3InputBufferAndCapturedIrp() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = stack.Parameters.DeviceIoControl.InputBufferLength;
                uint command = 0;
                try
                {
                    ProbeForRead(IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.Type3InputBuffer, length, 4);
                    command = stack.Parameters.DeviceIoControl.Type3InputBuffer.Read<uint>(0);
                    ProbeForWrite(Irp.UserBuffer, 4, 4);
                    Answer();
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;

                void Answer() => Irp.UserBuffer.Write<uint>(0, command);
            }
        }
        """);

    [Fact]
    public Task SilentAfterAHelperThatProbes() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID kernel)
            {
                if (!ValidateUserBuffer(Irp, 16)) { return STATUS_ACCESS_VIOLATION; }
                try
                {
                    RtlCopyMemory(kernel, Irp.UserBuffer, 16);
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }

            static NTSTATUS DispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                PVOID input = stack.Parameters.DeviceIoControl.Type3InputBuffer;
                try
                {
                    Check(input);
                    return input.Read<int>(0) == 0 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }
            }

            static bool ValidateUserBuffer(IRP Irp, nuint length)
            {
                try
                {
                    ProbeForRead(Irp.UserBuffer, length, 1);
                    return true;
                }
                catch (NtStatusException)
                {
                    return false;
                }
            }

            static void Check(PVOID address) => ProbeForRead(address, 4, 4);
        }
        """);

    [Fact]
    public Task FlagsAfterAHelperThatDoesNotProbe() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID kernel)
            {
                Trace(Irp);
                Console.WriteLine(Irp.UserBuffer.ToString());
                {|DRV042:RtlCopyMemory(kernel, Irp.UserBuffer, 16)|};
                return STATUS_SUCCESS;
            }

            static void Trace(IRP Irp) => Console.WriteLine(Irp.RequestorMode);
        }
        """);

    [Fact]
    public Task FlagsTheMdlsUserVirtualAddressButNotItsSystemMapping() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID mapped = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (mapped != NULL) { mapped.Write<byte>(0, 1); }
                {|DRV042:MmGetMdlVirtualAddress(Irp.MdlAddress).Write<byte>(0, 1)|};
                PMDL own = IoAllocateMdl(mapped, 16, false, false, null);
                MmGetMdlVirtualAddress(own).Write<byte>(0, 1);
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task SilentForIrpsHeldInFieldsOrReturnedByCalls() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            IRP? _pending;

            NTSTATUS Finish(PVOID data)
            {
                if (_pending is null) { return STATUS_SUCCESS; }
                try
                {
                    ProbeForWrite(_pending.UserBuffer, 4, 4);
                    RtlCopyMemory(_pending.UserBuffer, data, 4);
                    ProbeForWrite(Current().UserBuffer, 4, 4);
                    Current().UserBuffer.Write<int>(0, 1);
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }

            IRP Current() => _pending!;
        }
        """);

    [Fact]
    public Task FlagsAHelperThatTouchesWhatItIsGiven() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID kernel)
            {
                uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
                {|#0:CopyIn(kernel, Irp.UserBuffer, length)|};
                return STATUS_SUCCESS;
            }

            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, PVOID kernel)
            {
                try
                {
                    ProbeForRead(Irp.UserBuffer, 4, 1);
                    CopyIn(kernel, Irp.UserBuffer, 4);
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }

            static void CopyIn(PVOID destination, PVOID source, nuint length)
            {
                RtlCopyMemory(destination, source, length);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "CopyIn (through RtlCopyMemory at line 27)", "Irp.UserBuffer", "Irp.UserBuffer", 6,
            "without probing it: call ProbeForRead/ProbeForWrite inside a try block that catches NtStatusException, or WdfRequestProbeAndLockUserBufferForRead/Write")
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task NoCrashOnIncompleteCode() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
                {
                    try { ProbeForRead(Irp.UserBuffer, , 1); RtlCopyMemory(, Irp.UserBuffer
                    {|DRV042:Irp.UserBuffer.Read<>(0)|};
                    (Irp.UserBuffer + ).Write(
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();
}
