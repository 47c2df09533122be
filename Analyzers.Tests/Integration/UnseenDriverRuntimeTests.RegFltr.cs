using System;
using System.Text;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>
/// The registry filter sample's driver port (general/registry/regfltr/sys), a legacy WDM driver loaded from DriverEntry:
/// an application registers a callback (REGISTER_CALLBACK_INPUT in, the cookie out of the same system buffer), asks the
/// callback version, runs the kernel-mode samples and unregisters by cookie.
/// </summary>
public sealed partial class UnseenDriverRuntimeTests
{
    /// <summary>REGISTER_CALLBACK_INPUT: the mode, then the altitude as UTF-16 (NUL-terminated when it fits), padded to
    /// <paramref name="size"/> bytes.</summary>
    internal static byte[] RegisterCallbackInput(string altitude, int size = 24)
    {
        var input = new byte[size];
        BitConverter.GetBytes(0).CopyTo(input, 0);
        Encoding.Unicode.GetBytes(altitude).CopyTo(input, 4);
        return input;
    }

    [Fact]
    public void RegFltrRegistersACallbackAnswersItsVersionAndUnregistersItByCookie()
    {
        using var host = new WholeDriverHost(RegFltr.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);

        var samples = host.DeviceIoControl(RegFltr.IOCTL_DO_KERNELMODE_SAMPLES, null, (int)RegFltr.SIZEOF_DO_KERNELMODE_SAMPLES_OUTPUT);
        Assert.Equal(STATUS_SUCCESS, samples.Status);
        Assert.Equal((nuint)RegFltr.MAX_KERNELMODE_SAMPLES, samples.Information);
        Assert.All(samples.UserBuffer, result => Assert.Equal(1, result));

        var register = host.DeviceIoControl(RegFltr.IOCTL_REGISTER_CALLBACK, RegisterCallbackInput("380010"), (int)RegFltr.SIZEOF_REGISTER_CALLBACK_OUTPUT);
        Assert.Equal(STATUS_SUCCESS, register.Status);
        Assert.Equal((nuint)RegFltr.SIZEOF_REGISTER_CALLBACK_OUTPUT, register.Information);
        Assert.Equal(1, host.Pool.OutstandingAllocations);

        var version = host.DeviceIoControl(RegFltr.IOCTL_GET_CALLBACK_VERSION, null, (int)RegFltr.SIZEOF_GET_CALLBACK_VERSION_OUTPUT);
        Assert.Equal(STATUS_SUCCESS, version.Status);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0 }, version.UserBuffer);

        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(RegFltr.IOCTL_GET_CALLBACK_VERSION, null, 4).Status);
        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(RegFltr.IOCTL_UNREGISTER_CALLBACK, new byte[4], 0).Status);

        var unregister = host.DeviceIoControl(RegFltr.IOCTL_UNREGISTER_CALLBACK, register.UserBuffer, 0);
        Assert.Equal(STATUS_SUCCESS, unregister.Status);
        Assert.Equal(0, host.Pool.OutstandingAllocations);

        Assert.Equal(STATUS_SUCCESS, host.Close().Status);
        Assert.True(host.Unload().IsClean);
    }

    /// <summary>
    /// The shipped sample's own over-read, not marked (it lies in the port's ntstrsafe stand-in, which reads the "%s"
    /// argument up to its NUL, not in a DDI call of the driver): an altitude that fills REGISTER_CALLBACK_INPUT's ten
    /// characters without a NUL is read past the 24-byte system buffer.
    /// </summary>
    [Fact]
    public void RegFltrReadsAnUnterminatedAltitudePastTheSystemBuffer()
    {
        using var host = new WholeDriverHost(RegFltr.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.DeviceIoControl(RegFltr.IOCTL_REGISTER_CALLBACK, RegisterCallbackInput("3800100000"), (int)RegFltr.SIZEOF_REGISTER_CALLBACK_OUTPUT));
        Assert.Equal("DRV024", violation.Rule);
    }
}

/// <summary>The bugs of the buggy registry filter driver that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class RegFltrBuggyRuntimeTests
{
    private static WholeDriverHost Loaded()
    {
        var host = new WholeDriverHost(RegFltrBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        return host;
    }

    [Fact]
    public void VersionWrittenPastAFourByteOutputIsDrv024()
    {
        using var host = Loaded();
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(RegFltrBuggy.IOCTL_GET_CALLBACK_VERSION, null, 4));
        Assert.Equal("DRV024", violation.Rule);
    }

    [Fact]
    public void ContextFreedWithTheCaptureTagIsDrv034()
    {
        using var host = Loaded();
        var register = host.DeviceIoControl(RegFltrBuggy.IOCTL_REGISTER_CALLBACK, UnseenDriverRuntimeTests.RegisterCallbackInput("380010"), 8);
        Assert.Equal(STATUS_SUCCESS, register.Status);
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(RegFltrBuggy.IOCTL_UNREGISTER_CALLBACK, register.UserBuffer, 0));
        Assert.Equal("DRV034", violation.Rule);
    }

    [Fact]
    public void ShortUnregisterInputCompletedByTheHelperAndByDeviceControlIsDrv002()
    {
        using var host = Loaded();
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(RegFltrBuggy.IOCTL_UNREGISTER_CALLBACK, new byte[4], 0));
        Assert.Equal("DRV002", violation.Rule);
    }

    /// <summary>Ten characters and a NUL (26 bytes of input): RtlStringCbPrintfW truncates, CreateCallbackContext fails
    /// and zeroes the altitude of the block it just freed.</summary>
    [Fact]
    public void AltitudeZeroedAfterTheContextWasFreedIsDrv036()
    {
        using var host = Loaded();
        var violation = Assert.Throws<WdfViolationException>(() =>
            host.DeviceIoControl(RegFltrBuggy.IOCTL_REGISTER_CALLBACK, UnseenDriverRuntimeTests.RegisterCallbackInput("3800100000", 26), 8));
        Assert.Equal("DRV036", violation.Rule);
    }
}
