using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using DriverBuffers.Analyzers.IoModes;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>Deeply nested and long code: the I/O-mode analyzers finish without an analyzer exception (AD0001).</summary>
public class RobustnessTests
{
    private static string DeepSource()
    {
        var builder = new StringBuilder();
        builder.AppendLine("class Deep");
        builder.AppendLine("{");
        builder.AppendLine("    static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp, WDFIOTARGET target, WDFREQUEST request, bool[] c)");
        builder.AppendLine("    {");
        builder.AppendLine("        PVOID user = Irp.UserBuffer;");
        builder.AppendLine("        WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, user, 16, out WDFMEMORY memory);");
        builder.AppendLine("        var stack = IoGetCurrentIrpStackLocation(Irp);");
        const int depth = 300;
        for (var i = 0; i < depth; i++)
        {
            builder.Append("        if (c[").Append(i).AppendLine("]) {");
            builder.AppendLine("        try { ProbeForRead(user, 4, 1); user = user + 1; } catch (NtStatusException) { }");
        }

        builder.Append("        PVOID far = user").Append(string.Concat(Enumerable.Repeat(" + 1", 1500))).AppendLine(";");
        builder.AppendLine("        far.Write<int>(0, (int)stack.Parameters.Read.Length + (int)MmGetMdlByteCount(Irp.MdlAddress));");
        builder.AppendLine("        DeviceObject.Flags |= DO_DIRECT_IO;");
        builder.AppendLine("        WdfIoTargetFormatRequestForRead(target, request, memory, null, null);");
        builder.AppendLine("        WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);");
        builder.AppendLine("        ExFreePool(user);");
        builder.Append(new string('}', depth)).AppendLine();
        builder.AppendLine("        return STATUS_SUCCESS;");
        builder.AppendLine("    }");
        builder.AppendLine("}");
        return builder.ToString();
    }

    /// <summary>
    /// Runs the analyzer on the deep source with every diagnostic enabled (so it really runs) and fails on an
    /// analyzer exception; which findings the broken-up code gets is not the point here.
    /// </summary>
    private static async Task<ImmutableArray<Diagnostic>> RunAsync<TAnalyzer>()
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var project = AnalyzerHarness.CreateProject(new[] { ("/0/Test0.cs", DeepSource()) }, includeDriverUsings: true);

        var (_, diagnostics) = await AnalyzerHarness.RunOnProjectAsync(
            project, ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), CancellationToken.None);

        Assert.All(diagnostics, d => Assert.StartsWith("DRV04", d.Id, StringComparison.Ordinal));
        return diagnostics;
    }

    [Fact]
    public Task MemoryOwnership() => RunAsync<MemoryOwnershipAnalyzer>();

    [Fact]
    public Task UnprobedUserAddress() => RunAsync<UnprobedUserAddressAnalyzer>();

    [Fact]
    public async Task DirectIoLength() =>
        Assert.Contains(await RunAsync<DirectIoLengthAnalyzer>(), d => d.Id == "DRV043");

    [Fact]
    public async Task BufferingMode() =>
        Assert.Contains(await RunAsync<BufferingModeAnalyzer>(), d => d.Id == "DRV044");
}
