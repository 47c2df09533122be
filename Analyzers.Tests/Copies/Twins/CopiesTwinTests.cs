using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Copies;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.Hosting;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Copies.Twins;

/// <summary>
/// Run-time twins of DRV020-DRV023: the driver code of <see cref="CopiesTwinDriver"/> runs in the runtime's host,
/// where the flagged form fails (the verifier raises the same rule, or the application gets wrong data) and the
/// corrected form runs clean; the same file, analyzed, is flagged exactly on its marked lines.
/// </summary>
public class CopiesTwinTests
{
    [Fact]
    public void Drv020_TheUnboundedEchoOverrunsTheOutputBuffer()
    {
        using var host = new DriverHost { EvtIoDeviceControl = CopiesTwinDriver.EchoUnbounded };
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(CopiesTwinDriver.EchoIoctl, new byte[16], 4));
        Assert.Equal("DRV020", violation.Rule);
    }

    [Fact]
    public void Drv020_TheBoundedEchoCopiesWhatFits()
    {
        using var host = new DriverHost { EvtIoDeviceControl = CopiesTwinDriver.EchoBounded };
        var result = host.DeviceIoControl(CopiesTwinDriver.EchoIoctl, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 4);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)4, result.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Drv021_ADroppedCopyStatusHandsTheApplicationWrongData()
    {
        using var host = new DriverHost { EvtIoRead = CopiesTwinDriver.ReadDroppingCopyStatus };
        var result = host.Read(8);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)8, result.Information);
        // The copy failed and moved nothing: the application got whatever the buffer held, not the record.
        Assert.NotEqual(BitConverter.GetBytes(CopiesTwinDriver.Record), result.UserBuffer);
    }

    [Fact]
    public void Drv021_ACheckedCopyStatusReportsTheFailure()
    {
        using var host = new DriverHost { EvtIoRead = CopiesTwinDriver.ReadCheckingCopyStatus };
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.Read(8).Status);
        var result = host.Read(16);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(BitConverter.GetBytes(CopiesTwinDriver.Record).Concat(BitConverter.GetBytes(CopiesTwinDriver.Record)), result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Drv022_AnUncheckedRetrieveWritesThroughNull()
    {
        using var host = new DriverHost { EvtIoRead = CopiesTwinDriver.ReadIgnoringRetrieveStatus };
        var violation = Assert.Throws<WdfViolationException>(() => host.Read(4));
        Assert.Equal("DRV022", violation.Rule);
    }

    [Fact]
    public void Drv022_ACheckedRetrieveCompletesWithItsStatus()
    {
        using var host = new DriverHost { EvtIoRead = CopiesTwinDriver.ReadCheckingRetrieveStatus };
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.Read(4).Status);
        var result = host.Read(8);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(BitConverter.GetBytes(CopiesTwinDriver.Record), result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Drv023_ReportingMoreThanTheBufferHoldsIsAViolation()
    {
        using var host = new DriverHost { EvtIoRead = CopiesTwinDriver.ReadReportingTooMuch };
        var violation = Assert.Throws<WdfViolationException>(() => host.Read(4));
        Assert.Equal("DRV023", violation.Rule);
    }

    [Fact]
    public void Drv023_ReportingWhatWasWrittenIsClean()
    {
        using var host = new DriverHost { EvtIoRead = CopiesTwinDriver.ReadReportingWhatItWrote };
        var result = host.Read(4);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)4, result.Information);
        Assert.Equal(BitConverter.GetBytes(42), result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Drv024_TheLoopOverTheOutputLengthReadsPastTheInput()
    {
        using var host = new DriverHost { EvtIoDeviceControl = CopiesTwinDriver.DumpPastTheInput };
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(CopiesTwinDriver.EchoIoctl, new byte[4], 16));
        Assert.Equal("DRV024", violation.Rule);
    }

    [Fact]
    public void Drv024_TheLoopOverTheInputLengthStaysInside()
    {
        using var host = new DriverHost { EvtIoDeviceControl = CopiesTwinDriver.DumpTheInput };
        var result = host.DeviceIoControl(CopiesTwinDriver.EchoIoctl, new byte[4], 16);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void Drv024_AWriteAtAConstantOffsetPastTheOutputBufferIsAViolation()
    {
        using var host = new DriverHost { EvtIoDeviceControl = CopiesTwinDriver.WriteRecordPastTheOutput };
        var violation = Assert.Throws<WdfViolationException>(() => host.DeviceIoControl(CopiesTwinDriver.EchoIoctl, Array.Empty<byte>(), 4));
        Assert.Equal("DRV024", violation.Rule);
    }

    [Fact]
    public void Drv024_AWriteWithinTheRetrievedMinimumIsClean()
    {
        using var host = new DriverHost { EvtIoDeviceControl = CopiesTwinDriver.WriteRecordIntoTheOutput };
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, host.DeviceIoControl(CopiesTwinDriver.EchoIoctl, Array.Empty<byte>(), 4).Status);
        var result = host.DeviceIoControl(CopiesTwinDriver.EchoIoctl, Array.Empty<byte>(), 8);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(BitConverter.GetBytes(CopiesTwinDriver.Record), result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public Task ThePointerAccessAnalyzerFlagsExactlyTheMarkedLinesOfTheTwinDriver() => Analyze(new PointerAccessAnalyzer(), "DRV024");

    [Fact]
    public Task TheAnalyzersFlagExactlyTheMarkedLinesOfTheTwinDriver() => Analyze(new CopyBoundsAnalyzer(), "DRV020", "DRV023");

    [Fact]
    public Task TheStatusAnalyzerFlagsExactlyTheMarkedLinesOfTheTwinDriver() => Analyze(new StatusCheckAnalyzer(), "DRV021", "DRV022");

    private static Task Analyze<TAnalyzer>(TAnalyzer analyzer, params string[] ids)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var source = File.ReadAllText(TwinDriverPath());
        var test = new CSharpAnalyzerVerifier<TAnalyzer>.Test { TestCode = source, IncludeDriverUsings = false };
        var lines = source.Split('\n');
        var expected = new List<DiagnosticResult>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            foreach (var id in ids.Where(id => line.EndsWith("// " + id, StringComparison.Ordinal)))
            {
                var column = line.Length - line.TrimStart().Length + 1;
                expected.Add(new DiagnosticResult(analyzer.SupportedDiagnostics.Single(d => d.Id == id))
                    .WithLocation(i + 1, column)
                    .WithMessage(null)
                    .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
            }
        }

        Assert.NotEmpty(expected);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static string TwinDriverPath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "CopiesTwinDriver.cs");
}
