using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Lifetime;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using DriverBuffers.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Lifetime.Twins;

/// <summary>
/// Run-time twins: the very driver code the analyzer flags (read from the twin files) raises the same rule in the
/// runtime host, and the corrected code is silent for the analyzer and runs clean.
/// </summary>
public class LifetimeTwinTests
{
    /// <summary>The folder of the twin drivers' source files (read as text by the analyzer side).</summary>
    public static string TwinFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>The lifetime rules the analyzer reports in each class of a twin file.</summary>
    private static async Task<Dictionary<string, List<string>>> AnalyzeAsync(string file)
    {
        var text = File.ReadAllText(Path.Combine(TwinFolder(), file));
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/" + file, text) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var result = await AnalyzerHarness.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new RequestLifetimeAnalyzer()));
        Assert.Empty(result.Exceptions);

        var byClass = new Dictionary<string, List<string>>();
        var root = await compilation.SyntaxTrees.First(t => t.FilePath.EndsWith(file, StringComparison.Ordinal)).GetRootAsync();
        foreach (var type in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
        {
            byClass[type.Identifier.ValueText] = result.Diagnostics
                .Where(d => type.Span.Contains(d.Location.SourceSpan))
                .Select(d => d.Id)
                .ToList();
        }

        return byClass;
    }

    /// <summary>Runs <paramref name="io"/> in a host and returns every rule the verifier raised, including at unload.</summary>
    private static List<string> RunInHost(Action<DriverHost> configure, Action<DriverHost> io) => RunIn(new DriverHost(), configure, io);

    /// <summary>Runs <paramref name="io"/> in <paramref name="host"/> and returns every rule the verifier raised, including at unload.</summary>
    private static List<string> RunIn<THost>(THost host, Action<THost> configure, Action<THost> io)
        where THost : DriverHostBase
    {
        using var owned = host;
        configure(host);
        try
        {
            io(host);
        }
        catch (WdfViolationException)
        {
            // Recorded in host.Violations as well.
        }

        var rules = host.Violations.Select(v => v.Rule).ToList();
        rules.AddRange(host.Unload().Rules);
        return rules;
    }

    [Fact]
    public async Task Drv001_FlaggedCodeRaisesDrv001_CorrectedCodeRunsClean()
    {
        var found = await AnalyzeAsync("Drv001Driver.cs");
        Assert.Equal(new[] { "DRV001" }, found["Drv001BuggyDriver"]);
        Assert.Empty(found["Drv001CorrectDriver"]);

        var buggy = new Drv001BuggyDriver();
        Assert.Contains("DRV001", RunInHost(h => h.EvtIoRead = buggy.EvtIoRead, h => h.Read(8)));

        var correct = new Drv001CorrectDriver();
        IoResult? result = null;
        Assert.Empty(RunInHost(h => h.EvtIoRead = correct.EvtIoRead, h => result = h.Read(8)));
        Assert.Equal(STATUS_SUCCESS, result!.Status);
        Assert.Equal(new byte[] { 0x78, 0x56, 0x34, 0x12 }, result.UserBuffer.Take(4));
    }

    [Fact]
    public async Task Drv002_FlaggedCodeRaisesDrv002_CorrectedCodeRunsClean()
    {
        var found = await AnalyzeAsync("Drv002Driver.cs");
        Assert.Equal(new[] { "DRV002" }, found["Drv002BuggyDriver"]);
        Assert.Empty(found["Drv002CorrectDriver"]);

        var buggy = new Drv002BuggyDriver();
        Assert.Contains("DRV002", RunInHost(h => h.EvtIoWrite = buggy.EvtIoWrite, h => h.Write(new byte[4])));

        var correct = new Drv002CorrectDriver();
        IoResult? result = null;
        Assert.Empty(RunInHost(h => h.EvtIoWrite = correct.EvtIoWrite, h => result = h.Write(new byte[4])));
        Assert.Equal(STATUS_BUFFER_TOO_SMALL, result!.Status);
    }

    [Fact]
    public async Task Drv002_Irp_HelperAndCallerBothComplete_RaisesDrv002_CorrectedCodeRunsClean()
    {
        var found = await AnalyzeAsync("Drv002IrpDriver.cs");
        Assert.Equal(new[] { "DRV002" }, found["Drv002IrpBuggyDriver"]);
        Assert.Empty(found["Drv002IrpCorrectDriver"]);

        var buggy = new Drv002IrpBuggyDriver();
        Assert.Contains("DRV002", RunIn(BufferedWdmHost(), h => h.MajorFunction[Wdm.IRP_MJ_READ] = buggy.DispatchRead, h => h.Read(8)));

        var correct = new Drv002IrpCorrectDriver();
        IoResult? answered = null;
        IoResult? empty = null;
        Assert.Empty(RunIn(BufferedWdmHost(), h => h.MajorFunction[Wdm.IRP_MJ_READ] = correct.DispatchRead, h => answered = h.Read(8)));
        Assert.Empty(RunIn(BufferedWdmHost(), h => h.MajorFunction[Wdm.IRP_MJ_READ] = correct.DispatchRead, h => empty = h.Read(2)));
        Assert.Equal((nuint)4, answered!.Information);
        Assert.Equal(new byte[] { 0x78, 0x56, 0x34, 0x12 }, answered.UserBuffer.Take(4));
        Assert.Equal(STATUS_SUCCESS, empty!.Status);
        Assert.Equal((nuint)0, empty.Information);
    }

    private static WdmDriverHost BufferedWdmHost() => new(fdo => fdo.Flags |= Wdm.DO_BUFFERED_IO);

    [Fact]
    public async Task Drv003_FlaggedCodeRaisesDrv003_CorrectedCodeRunsClean()
    {
        var found = await AnalyzeAsync("Drv003Driver.cs");
        Assert.Equal(new[] { "DRV003" }, found["Drv003BuggyDriver"]);
        Assert.Empty(found["Drv003CorrectDriver"]);

        var buggy = new Drv003BuggyDriver();
        Assert.Contains("DRV003", RunInHost(h => h.EvtIoWrite = buggy.EvtIoWrite, h => h.Write(new byte[6])));

        var correct = new Drv003CorrectDriver();
        Assert.Empty(RunInHost(h => h.EvtIoWrite = correct.EvtIoWrite, h => h.Write(new byte[6])));
        Assert.Equal((nuint)6, correct.LastInformation);
    }

    [Fact]
    public async Task Drv004_FlaggedCodeRaisesDrv004AtUnload_CorrectedCodeRunsClean()
    {
        var found = await AnalyzeAsync("Drv004Driver.cs");
        Assert.Equal(new[] { "DRV004" }, found["Drv004BuggyDriver"]);
        Assert.Empty(found["Drv004CorrectDriver"]);

        var buggy = new Drv004BuggyDriver();
        IoResult? pending = null;
        Assert.Contains("DRV004", RunInHost(h => h.EvtIoDeviceControl = buggy.EvtIoDeviceControl, h => pending = h.DeviceIoControl(0x222004, null, 0)));
        Assert.False(pending!.IsCompleted);

        var correct = new Drv004CorrectDriver();
        IoResult? result = null;
        Assert.Empty(RunInHost(h => h.EvtIoDeviceControl = correct.EvtIoDeviceControl, h => result = h.DeviceIoControl(0x222004, null, 0)));
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, result!.Status);
    }

    [Fact]
    public async Task Drv004_DroppedSendResult_FailedSendLeavesTheRequestPending_CorrectedCodeCompletesIt()
    {
        var found = await AnalyzeAsync("Drv004SendDriver.cs");
        Assert.Equal(new[] { "DRV004" }, found["Drv004SendBuggyDriver"]);
        Assert.Empty(found["Drv004SendCorrectDriver"]);

        var buggy = new Drv004SendBuggyDriver();
        IoResult? pending = null;
        Assert.Contains("DRV004", RunInHost(
            h => { h.EvtIoWrite = buggy.EvtIoWrite; h.LowerTarget.Mode = TargetCompletionMode.FailSend; },
            h => pending = h.Write(new byte[4])));
        Assert.False(pending!.IsCompleted);

        var correct = new Drv004SendCorrectDriver();
        IoResult? result = null;
        Assert.Empty(RunInHost(
            h => { h.EvtIoWrite = correct.EvtIoWrite; h.LowerTarget.Mode = TargetCompletionMode.FailSend; },
            h => result = h.Write(new byte[4])));
        Assert.Equal(Wdm.STATUS_INVALID_DEVICE_STATE, result!.Status);

        Assert.Empty(RunInHost(h => h.EvtIoWrite = correct.EvtIoWrite, h => result = h.Write(new byte[4])));
        Assert.Equal(STATUS_SUCCESS, result!.Status);
    }

    private static NTSTATUS STATUS_SUCCESS => Wdm.STATUS_SUCCESS;

    private static NTSTATUS STATUS_BUFFER_TOO_SMALL => Wdm.STATUS_BUFFER_TOO_SMALL;

    private static NTSTATUS STATUS_INVALID_DEVICE_REQUEST => Wdm.STATUS_INVALID_DEVICE_REQUEST;
}
