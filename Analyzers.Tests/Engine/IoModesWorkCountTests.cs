using System.Text;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.IoModes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The I/O-mode analyses' cost, pinned by the work they count: a long neither-I/O dispatch routine (a user address
/// probed, then touched in every statement) and a long preallocated-memory method cost linear work per statement, and
/// code that touches no user address, preallocated memory or device setup builds no graph.
/// </summary>
public class IoModesWorkCountTests
{
    private readonly ITestOutputHelper _output;

    public IoModesWorkCountTests(ITestOutputHelper output) => _output = output;

    private static DiagnosticAnalyzer[] IoModeAnalyzers() => new DiagnosticAnalyzer[]
    {
        new UnprobedUserAddressAnalyzer(), new MemoryOwnershipAnalyzer(), new BufferingModeAnalyzer(), new DirectIoLengthAnalyzer(),
    };

    /// <summary>A neither-I/O dispatch routine: the user address probed in a try, then one access per statement, with branches.</summary>
    private static string LongUserAddressDispatch(int statements)
    {
        var text = new StringBuilder("""
            class Driver
            {
                static NTSTATUS DispatchDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
                {
                    PVOID user = Irp.UserBuffer;
                    uint total = 0;
                    try
                    {
                        ProbeForRead(user, 4096, 1);

            """);
        for (var i = 0; i < statements; i++)
        {
            text.Append(i % 5 == 4
                ? $"            if (total > {i}) {{ total -= {i}; }}\n"
                : $"            total += user.Read<uint>({i % 1000 * 4});\n");
        }

        text.Append("""
                    }
                    catch (NtStatusException e)
                    {
                        return e.Status;
                    }

                    return STATUS_SUCCESS;
                }
            }
            """);
        return text.ToString();
    }

    /// <summary>A long method over preallocated memory: many sizes, copies and format calls, one send at the end.</summary>
    private static string LongPreallocatedMethod(int statements)
    {
        var text = new StringBuilder("""
            class Driver
            {
                static void Push(WDFIOTARGET target, WDFREQUEST request, PVOID block)
                {
                    WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, block, 4096, out WDFMEMORY memory);
                    nuint size = 0;

            """);
        for (var i = 0; i < statements; i++)
        {
            text.Append(i % 4 == 3
                ? $"        if (size > {i}) {{ size = {i}; }}\n"
                : $"        size += {i % 7 + 1};\n");
        }

        text.Append("""
                    WdfIoTargetFormatRequestForWrite(target, request, memory, null, null);
                    WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);
                }
            }
            """);
        return text.ToString();
    }

    [Fact]
    public Task LongUserAddressDispatch_WorkPerStatementIsLinear() =>
        AssertLinear("user-address dispatch", LongUserAddressDispatch, 100, 2000);

    [Fact]
    public Task LongPreallocatedMethod_WorkPerStatementIsLinear() =>
        AssertLinear("preallocated memory", LongPreallocatedMethod, 100, 2000);

    [Fact]
    public async Task OrdinaryCode_CostsNoGraph()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(50), IoModeAnalyzers());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Telemetry.BodiesAnalyzed);
    }

    private async Task AssertLinear(string shape, System.Func<int, string> source, int small, int large)
    {
        var a = await EngineMeasure.RunAsync(source(small), IoModeAnalyzers());
        var b = await EngineMeasure.RunAsync(source(large), IoModeAnalyzers());
        var perSmall = a.Work / (double)small;
        var perLarge = b.Work / (double)large;
        _output.WriteLine($"{shape}: {small} -> work {a.Work} ({perSmall:F1} per statement); {large} -> work {b.Work} ({perLarge:F1} per statement)");
        _output.WriteLine($"  {small}: {a.Telemetry}");
        _output.WriteLine($"  {large}: {b.Telemetry}");

        Assert.True(a.Work > 0, "the shape was not analyzed");
        Assert.Equal(0, b.Telemetry.BodiesOverBudget);
        Assert.Empty(b.Diagnostics);
        Assert.True(perLarge <= 2 * perSmall, $"{shape}: {perLarge:F1} work per statement at {large}, {perSmall:F1} at {small}");
    }
}
