using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.UserBufferFetchedTwiceAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV045: a neither-I/O user value read, checked, and read again for use (double fetch).</summary>
public class Drv045Tests
{
    [Fact]
    public Task FlagsALengthCheckedThenReadAgain() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS DispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                PVOID input = stack.Parameters.DeviceIoControl.Type3InputBuffer;
                NTSTATUS status = STATUS_SUCCESS;
                try
                {
                    ProbeForRead(input, 8, 4);
                    uint length = {|#1:input.Read<uint>(0)|};
                    if (length > 64) { status = STATUS_INVALID_PARAMETER; }
                    else
                    {
                        byte[] copy = new byte[{|#0:input.Read<uint>(0)|}];
                    }
                }
                catch (NtStatusException e)
                {
                    status = e.Status;
                }

                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "input.Read<uint>(0)", "stack.Parameters.DeviceIoControl.Type3InputBuffer", 11));

    [Fact]
    public Task FlagsAValueTestedInPlaceAndReadAgainThroughAnOffset() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static uint Used;

            static void EvtIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)
            {
                if (!NT_SUCCESS(WdfRequestRetrieveUnsafeUserInputBuffer(Request, 8, out PVOID user, out nuint size))) { return; }
                try
                {
                    ProbeForRead(user, 8, 4);
                    if (user.Read<uint>(4) < 16)
                    {
                        Used = {|DRV045:(user + 4).Read<uint>(0)|};
                    }
                }
                catch (NtStatusException)
                {
                }
            }
        }
        """);

    [Fact]
    public Task SilentWhenReadOnceIntoALocalOrNeverChecked() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static uint Used;

            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID user = Irp.UserBuffer;
                try
                {
                    ProbeForRead(user, 8, 4);
                    uint length = user.Read<uint>(0);
                    if (length > 64) { return STATUS_INVALID_PARAMETER; }
                    Used = length;
                    uint other = user.Read<uint>(4);
                    uint unchecked1 = user.Read<ushort>(0);
                    Used = other + unchecked1;
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }

            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID user = Irp.UserBuffer;
                try
                {
                    ProbeForRead(user, 8, 4);
                    Used = user.Read<uint>(0);
                    Used += user.Read<uint>(0);
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }
        }
        """);
}
