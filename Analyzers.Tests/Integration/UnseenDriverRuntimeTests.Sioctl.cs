using System.Text;
using DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration;

/// <summary>The WDM IOCTL sample port (general/ioctl/wdm), a legacy driver loaded from DriverEntry: each transfer method
/// answers the device string; the shipped sample's copy of outBufLength bytes out of the 38-byte string is its own bug.</summary>
public sealed partial class UnseenDriverRuntimeTests
{
    [Fact]
    public void SioctlAnswersTheDeviceStringOnEveryTransferMethod()
    {
        using var host = new WholeDriverHost(Sioctl.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(STATUS_SUCCESS, host.Open().Status);

        foreach (var ioctl in new[] { Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED, Sioctl.IOCTL_SIOCTL_METHOD_NEITHER, Sioctl.IOCTL_SIOCTL_METHOD_OUT_DIRECT })
        {
            var answer = host.DeviceIoControl(ioctl, Encoding.ASCII.GetBytes("from app\0"), 38);
            Assert.Equal(STATUS_SUCCESS, answer.Status);
            Assert.Equal((nuint)38, answer.Information);
            Assert.Equal("This String is from Device Driver !!!\0", Encoding.ASCII.GetString(answer.UserBuffer, 0, 38));
        }

        Assert.Equal(STATUS_INVALID_PARAMETER, host.DeviceIoControl(Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED, null, 38).Status);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, host.DeviceIoControl(Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED + 0x100, new byte[1], 1).Status);
        Assert.Equal(STATUS_SUCCESS, host.Close().Status);
        Assert.True(host.Unload().IsClean);
    }

    /// <summary>The shipped sample's own bug (marked DRV020 in Sioctl.cs): an output buffer longer than the device string
    /// makes RtlCopyBytes read past the 38-byte literal.</summary>
    [Fact]
    public void SioctlCopiesPastTheDeviceStringForALongOutputBufferIsDrv020()
    {
        using var host = new WholeDriverHost(Sioctl.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED, new byte[4], 64));
        Assert.Equal("DRV020", violation.Rule);
    }
}

/// <summary>The bugs of the buggy WDM IOCTL sample that the runtime sees, raised under the analyzers' rule IDs.</summary>
public sealed class SioctlBuggyRuntimeTests
{
    [Fact]
    public void UnknownIoctlCompletedInItsCaseAndAtEndIsDrv002()
    {
        using var host = new WholeDriverHost(SioctlBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(SioctlBuggy.IOCTL_SIOCTL_METHOD_BUFFERED + 0x100, new byte[1], 1));
        Assert.Equal("DRV002", violation.Rule);
    }

    [Fact]
    public void NeitherInputReadBeforeItsProbeIsDrv042()
    {
        using var host = new WholeDriverHost(SioctlBuggy.DriverEntry);
        Assert.Equal(STATUS_SUCCESS, host.Load());
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(SioctlBuggy.IOCTL_SIOCTL_METHOD_NEITHER, new byte[] { 1, 2 }, 38));
        Assert.Equal("DRV042", violation.Rule);
    }
}
