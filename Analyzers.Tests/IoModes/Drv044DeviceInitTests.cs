using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.BufferingModeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV044, WDF's form: a DDI on a WDFDEVICE_INIT after WdfDeviceCreate consumed it (SDV DeviceInitAPI).</summary>
public class Drv044DeviceInitTests
{
    [Fact]
    public Task FlagsSetIoTypeAndOtherDeviceInitCallsAfterCreate() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);
                NTSTATUS status = {|#1:WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device)|};
                {|#0:WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect)|};
                {|#2:WdfDeviceInitSetExclusive(DeviceInit, true)|};
                return status;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "A call of WdfDeviceInitSetIoType", "DeviceInit",
            "after WdfDeviceCreate consumed it at line 6 (KMDF frees the WDFDEVICE_INIT: configure the device before creating it)"),
        Verify.Diagnostic().WithLocation(2).WithLocation(1).WithArguments(
            "A call of WdfDeviceInitSetExclusive", "DeviceInit",
            "after WdfDeviceCreate consumed it at line 6 (KMDF frees the WDFDEVICE_INIT: configure the device before creating it)"));

    [Fact]
    public Task FlagsAHelperThatConfiguresTheConsumedDeviceInit() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                NTSTATUS status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
                if (!NT_SUCCESS(status)) { return status; }
                {|DRV044:UseDirectIo(DeviceInit)|};
                return STATUS_SUCCESS;
            }

            static void UseDirectIo(WDFDEVICE_INIT init) => WdfDeviceInitSetIoType(init, WdfDeviceIoDirect);
        }
        """);

    [Fact]
    public Task SilentForTheWdkOrderAndOnPathsWithoutCreate() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoDirect);
                WdfDeviceInitSetExclusive(DeviceInit, false);
                Configure(DeviceInit);
                return WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
            }

            static NTSTATUS EvtDeviceAddMaybe(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit, bool early)
            {
                if (early)
                {
                    return WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
                }

                WdfDeviceInitSetIoType(DeviceInit, WdfDeviceIoBuffered);
                return STATUS_SUCCESS;
            }

            static void Configure(WDFDEVICE_INIT init) => WdfDeviceInitSetIoType(init, WdfDeviceIoBuffered);
        }
        """);
}
