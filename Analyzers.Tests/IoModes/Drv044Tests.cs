using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.BufferingModeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV044: DO_BUFFERED_IO/DO_DIRECT_IO changed after the device object was set up.</summary>
public class Drv044Tests
{
    [Fact]
    public Task FlagsDispatchRoutineChangingTheMode() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                {|#0:DeviceObject.Flags |= DO_DIRECT_IO|};
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "Setting DO_DIRECT_IO", "DeviceObject", "in 'DispatchRead', which handles IRPs and so runs after the device object was set up"));

    [Fact]
    public Task FlagsClearingAndAssigningInIrpHandlers() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            DEVICE_OBJECT? _device;

            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                [|DeviceObject.Flags &= ~DO_BUFFERED_IO|];
                [|DeviceObject.Flags = DeviceObject.Flags | DO_BUFFERED_IO | DO_DIRECT_IO|];
                if (_device is not null) { [|_device.Flags ^= DO_DIRECT_IO|]; }
                return STATUS_SUCCESS;
            }

            static void Register(DRIVER_DISPATCH?[] majorFunction) =>
                majorFunction[IRP_MJ_READ] = (device, irp) =>
                {
                    [|device.Flags |= DO_BUFFERED_IO|];
                    return STATUS_SUCCESS;
                };
        }
        """);

    [Fact]
    public Task FlagsChangeAfterDeviceInitializingCleared() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void AddDevice(DEVICE_OBJECT fdo)
            {
                fdo.Flags |= DO_BUFFERED_IO;
                {|#1:fdo.Flags &= ~DO_DEVICE_INITIALIZING|};
                {|#0:fdo.Flags |= DO_DIRECT_IO|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "Setting DO_DIRECT_IO", "fdo", "after DO_DEVICE_INITIALIZING was cleared at line 6"));

    [Fact]
    public Task SilentInAddDeviceBeforeInitializationEnds() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void AddDevice(DEVICE_OBJECT fdo)
            {
                fdo.Flags |= DO_DIRECT_IO;
                fdo.Flags &= ~DO_BUFFERED_IO;
                fdo.Flags = (fdo.Flags | DO_BUFFERED_IO) & ~DO_DIRECT_IO;
                fdo.DeviceExtension = new object();
                fdo.Flags &= ~DO_DEVICE_INITIALIZING;
                fdo.Flags |= DO_POWER_PAGABLE;
            }

            static void AddNeitherDevice(DEVICE_OBJECT fdo, bool ready)
            {
                if (ready)
                {
                    fdo.Flags &= ~DO_DEVICE_INITIALIZING;
                }

                fdo.Flags |= 0;
                fdo.Flags |= DO_BUFFERED_IO;
            }

            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                bool direct = (DeviceObject.Flags & DO_DIRECT_IO) != 0;
                DeviceObject.Flags |= DO_POWER_PAGABLE;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return direct ? STATUS_SUCCESS : STATUS_INVALID_DEVICE_REQUEST;
            }
        }
        """);

    [Fact]
    public Task SilentWhenAnotherDeviceWasInitialized() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void AddDevices(DEVICE_OBJECT first, DEVICE_OBJECT second)
            {
                first.Flags |= DO_BUFFERED_IO;
                first.Flags &= ~DO_DEVICE_INITIALIZING;
                second.Flags |= DO_DIRECT_IO;
                second.Flags &= ~DO_DEVICE_INITIALIZING;
            }
        }
        """);

    [Fact]
    public Task FlagsAHelperCalledAfterSetUp() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                {|#0:UseDirectIo(DeviceObject)|};
                Trace(DeviceObject);
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }

            static void AddDevice(DEVICE_OBJECT fdo)
            {
                UseDirectIo(fdo);
                fdo.Flags &= ~DO_DEVICE_INITIALIZING;
                [|UseDirectIo(fdo)|];
            }

            static void UseDirectIo(DEVICE_OBJECT device)
            {
                device.Flags &= ~DO_BUFFERED_IO;
                device.Flags |= DO_DIRECT_IO;
            }

            static void Trace(DEVICE_OBJECT device)
            {
                if (device.Flags == 0) { device.Flags |= DO_BUFFERED_IO; }
            }

            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                Reset(DeviceObject, Irp);
                return STATUS_SUCCESS;
            }

            static void Reset(DEVICE_OBJECT device, IRP irp) => [|device.Flags = DO_BUFFERED_IO|];
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "Setting DO_DIRECT_IO (in 'UseDirectIo', line 21)", "DeviceObject",
            "in 'DispatchRead', which handles IRPs and so runs after the device object was set up"));

    [Fact]
    public Task NoCrashOnIncompleteCode() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
                {
                    DeviceObject.Flags |= ;
                    DeviceObject. |= DO_DIRECT_IO;
                    DeviceObject.Flags &= ~DO_DEVICE_INITIALIZING
                    {|DRV044:DeviceObject.Flags |= DO_BUFFERED_IO|}
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();
}
