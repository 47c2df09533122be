using System.Threading.Tasks;
using Xunit;
using Fix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<DriverBuffers.Analyzers.IoModes.UserBufferFetchedTwiceAnalyzer, DriverBuffers.CodeFixes.IoModes.UserBufferFetchedTwiceCodeFix>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV045's fix: use the local that holds the checked value instead of reading user memory again (Fix All).</summary>
public class Drv045CodeFixTests
{
    [Fact]
    public Task FixUsesTheLocalKeepsTriviaAndFixesAll() => Fix.VerifyCodeFixAsync("""
        class Driver
        {
            static uint Used;
            static uint Count;

            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID user = Irp.UserBuffer;
                try
                {
                    ProbeForRead(user, 8, 4);
                    uint length = user.Read<uint>(0);
                    uint count = user.Read<uint>(4);
                    if (length > 64 || count > 8) { return STATUS_INVALID_PARAMETER; }
                    Used = /* checked */ {|DRV045:user.Read<uint>(0)|} /* bytes */;
                    Count = {|DRV045:user.Read<uint>(4)|};
                }
                catch (NtStatusException e)
                {
                    return e.Status;
                }

                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            static uint Used;
            static uint Count;

            static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                PVOID user = Irp.UserBuffer;
                try
                {
                    ProbeForRead(user, 8, 4);
                    uint length = user.Read<uint>(0);
                    uint count = user.Read<uint>(4);
                    if (length > 64 || count > 8) { return STATUS_INVALID_PARAMETER; }
                    Used = /* checked */ length /* bytes */;
                    Count = count;
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
    public Task NoFixWhenTheValueWasTestedInPlace() => new Fix.Test
    {
        TestCode = """
            class Driver
            {
                static uint Used;

                static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
                {
                    PVOID user = Irp.UserBuffer;
                    try
                    {
                        ProbeForRead(user, 4, 4);
                        if (user.Read<uint>(0) > 64) { return STATUS_INVALID_PARAMETER; }
                        Used = {|DRV045:user.Read<uint>(0)|};
                    }
                    catch (NtStatusException e)
                    {
                        return e.Status;
                    }

                    return STATUS_SUCCESS;
                }
            }
            """,
    }.RunAsync();
}
