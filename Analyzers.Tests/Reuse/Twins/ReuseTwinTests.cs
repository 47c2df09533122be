using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.Hosting;
using Microsoft.CodeAnalysis;
using Xunit;
using static DriverBuffers.Wdm;
using Fixed = DriverBuffers.Analyzers.Tests.Reuse.Twins.Fixed;
using Flagged = DriverBuffers.Analyzers.Tests.Reuse.Twins.Flagged;
using VerifyDelete = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer,
    DriverBuffers.CodeFixes.Reuse.DeleteInsteadOfCompleteCodeFixProvider>;
using VerifyReuse = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Reuse.DriverCreatedRequestAnalyzer,
    DriverBuffers.CodeFixes.Reuse.InsertReuseCodeFixProvider>;

namespace DriverBuffers.Analyzers.Tests.Reuse.Twins;

/// <summary>
/// Run-time twins: each flagged driver file is analyzed (the rule fires where expected), fixed by the code fix
/// (the result is exactly the fixed driver file, and compiles without the finding), executed in the runtime
/// host (the verifier raises the same rule ID), and its fixed form executed too (clean, and the application gets
/// its data).
/// </summary>
public class ReuseTwinTests
{
    private static DiagnosticResult At(string id, string text, string callStart, int occurrence = 1)
    {
        var (line, column, endLine, endColumn) = TwinSource.CallSpan(text, callStart, occurrence);
        return new DiagnosticResult(id, DiagnosticSeverity.Warning)
            .WithSpan(line, column, endLine, endColumn)
            .WithMessage(null)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
    }

    private static Task VerifyFix<TTest>(TTest test, string file, string id, string callStart, int occurrence = 1)
        where TTest : CodeFixTest<DefaultVerifier>, IDriverProjectTest
    {
        var flagged = TwinSource.Flagged(file);
        test.TestCode = flagged;
        test.FixedCode = TwinSource.FixedAsFixOutput(file);
        test.IncludeDriverUsings = false;
        test.ExpectedDiagnostics.Add(At(id, flagged, callStart, occurrence));
        return test.RunAsync();
    }

    // ---------------------------------------------------------------- DRV010, completion routine

    [Fact]
    public Task Drv010_ReadThrough_IsFlaggedAndFixed() =>
        VerifyFix(new VerifyReuse.Test(), "ReadThroughDriver.cs", "DRV010", "WdfRequestCompleteWithInformation(");

    [Fact]
    public void Drv010_ReadThrough_BugChecksAtRunTime()
    {
        var driver = new Flagged.ReadThroughDriver();
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };
        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3 });

        var violation = Assert.Throws<WdfViolationException>(() => host.Read(4));

        Assert.Equal("DRV010", violation.Rule);
        Assert.Equal("WdfRequestCompleteWithInformation", violation.Ddi);
    }

    [Fact]
    public void Drv010_ReadThrough_FixedRunsCleanAndTheApplicationGetsItsDataAndStatus()
    {
        var driver = new Fixed.ReadThroughDriver();
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };
        host.LowerTarget.RespondWith(STATUS_BUFFER_OVERFLOW, new byte[] { 1, 2, 3, 4 }, 4);

        var result = host.Read(4);

        Assert.Empty(host.Violations);
        Assert.Equal(STATUS_BUFFER_OVERFLOW, result.Status); // read before the reuse reset the request's status
        Assert.Equal((nuint)4, result.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    // ---------------------------------------------------------------- DRV010, send failed

    [Fact]
    public Task Drv010_SendFailed_IsFlaggedAndFixed() =>
        VerifyFix(new VerifyReuse.Test(), "SendFailedDriver.cs", "DRV010", "WdfRequestComplete(Request, WdfRequestGetStatus");

    [Fact]
    public void Drv010_SendFailed_BugChecksAtRunTime()
    {
        var driver = new Flagged.SendFailedDriver();
        using var host = new DriverHost { EvtIoWrite = driver.EvtIoWrite };
        host.LowerTarget.Mode = TargetCompletionMode.FailSend;

        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 9, 8 }));

        Assert.Equal("DRV010", violation.Rule);
    }

    [Fact]
    public void Drv010_SendFailed_FixedRunsCleanAndTheApplicationGetsTheFailure()
    {
        var driver = new Fixed.SendFailedDriver();
        using var host = new DriverHost { EvtIoWrite = driver.EvtIoWrite };
        host.LowerTarget.Mode = TargetCompletionMode.FailSend;

        var result = host.Write(new byte[] { 9, 8 });

        Assert.Empty(host.Violations);
        Assert.Equal(host.LowerTarget.SendFailureStatus, result.Status);
    }

    [Fact]
    public void Drv010_SendFailed_FixedStillWritesWhenTheSendSucceeds()
    {
        var driver = new Fixed.SendFailedDriver();
        using var host = new DriverHost { EvtIoWrite = driver.EvtIoWrite };

        var result = host.Write(new byte[] { 9, 8 });

        Assert.Empty(host.Violations);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)2, result.Information);
        Assert.Equal(new byte[] { 9, 8 }, host.LowerTarget.Received[0].InputData);
    }

    // ---------------------------------------------------------------- DRV011

    [Fact]
    public Task Drv011_Sampling_IsFlaggedAndFixed() =>
        VerifyFix(new VerifyReuse.Test(), "SamplingDriver.cs", "DRV011", "WdfIoTargetFormatRequestForRead(");

    [Fact]
    public void Drv011_Sampling_BugChecksAtRunTime()
    {
        var driver = new Flagged.SamplingDriver();
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };

        var violation = Assert.Throws<WdfViolationException>(() => host.Read(Flagged.SamplingDriver.Samples));

        Assert.Equal("DRV011", violation.Rule);
    }

    [Fact]
    public void Drv011_Sampling_FixedRunsCleanAndTheApplicationGetsEverySample()
    {
        var driver = new Fixed.SamplingDriver();
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };
        byte next = 0;
        host.LowerTarget.Responder = _ => new TargetIoResponse(STATUS_SUCCESS, null, new[] { ++next });

        var result = host.Read(Fixed.SamplingDriver.Samples);

        Assert.Empty(host.Violations);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    // ---------------------------------------------------------------- DRV012 (no bug check: the wrong result shows)

    [Fact]
    public Task Drv012_Polling_IsFlaggedAndFixed() =>
        VerifyFix(new VerifyReuse.Test(), "PollingDriver.cs", "DRV012", "WdfRequestSend(Request");

    [Fact]
    public void Drv012_Polling_TheApplicationsReadNeverCompletes()
    {
        var driver = new Flagged.PollingDriver();
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };

        var result = host.Read(Flagged.PollingDriver.Samples);

        Assert.Equal(2, host.LowerTarget.Received.Count); // the second read was sent and completed by the target ...
        Assert.False(result.IsCompleted);                 // ... but the driver was never told, so the application waits
    }

    [Fact]
    public void Drv012_Polling_FixedRunsCleanAndTheApplicationGetsBothSamples()
    {
        var driver = new Fixed.PollingDriver();
        using var host = new DriverHost { EvtIoRead = driver.EvtIoRead };
        byte next = 0x10;
        host.LowerTarget.Responder = _ => new TargetIoResponse(STATUS_SUCCESS, null, new[] { ++next });

        var result = host.Read(Fixed.PollingDriver.Samples);

        Assert.Empty(host.Violations);
        Assert.True(result.IsCompleted);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(new byte[] { 0x11, 0x12 }, result.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    // ---------------------------------------------------------------- DRV013

    [Fact]
    public Task Drv013_ForwardWrite_IsFlaggedAndFixed() =>
        VerifyFix(new VerifyDelete.Test(), "ForwardWriteDriver.cs", "DRV013", "WdfRequestComplete(forward");

    [Fact]
    public void Drv013_ForwardWrite_BugChecksAtRunTime()
    {
        var driver = new Flagged.ForwardWriteDriver();
        using var host = new DriverHost { EvtIoWrite = driver.EvtIoWrite };

        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 5, 6, 7 }));

        Assert.Equal("DRV013", violation.Rule);
    }

    [Fact]
    public void Drv013_ForwardWrite_FixedRunsCleanAndTheDataReachesTheLowerDriver()
    {
        var driver = new Fixed.ForwardWriteDriver();
        using var host = new DriverHost { EvtIoWrite = driver.EvtIoWrite };

        var result = host.Write(new byte[] { 5, 6, 7 });

        Assert.Empty(host.Violations);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)3, result.Information);
        Assert.Equal(new byte[] { 5, 6, 7 }, host.LowerTarget.Received[0].InputData);
        Assert.True(host.Unload().IsClean);
    }
}
