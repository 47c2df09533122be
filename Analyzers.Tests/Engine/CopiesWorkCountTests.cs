using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Copies;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The cost of the size and status analysis (DRV020–DRV024), pinned by the work the engine counts, never by time: the
/// work per statement of a 2,000-statement method is at most twice that of a 100-statement one, for long copy-heavy code
/// with many sizes and for a long method inside one <c>try</c> (the size analysis before the engine was about n³ there:
/// 72 s for 2,000 statements); the two copy analyzers share one analysis per body; ordinary code costs no graph.
/// </summary>
public class CopiesWorkCountTests
{
    private readonly ITestOutputHelper _output;

    public CopiesWorkCountTests(ITestOutputHelper output) => _output = output;

    /// <summary>The three analyzer classes of the Copies family: copies (DRV020, DRV023), statuses (DRV021, DRV022), accessors (DRV024).</summary>
    private static DiagnosticAnalyzer[] CopyAnalyzers() =>
        new DiagnosticAnalyzer[] { new CopyBoundsAnalyzer(), new StatusCheckAnalyzer(), new PointerAccessAnalyzer() };

    [Fact]
    public Task CopyHeavyMethod_WorkPerStatementIsLinear() =>
        AssertLinear("copy-heavy method", n => WorkShapes.CopyHeavy(n), 100, 2000);

    [Fact]
    public Task CopyHeavyMethodInsideOneTry_WorkPerStatementIsLinear() =>
        AssertLinear("copy-heavy method in a try", n => WorkShapes.CopyHeavy(n, insideTry: true), 100, 2000);

    [Fact]
    public Task LongMethodInsideOneTry_WorkPerStatementIsLinear() =>
        AssertLinear("long method in a try", n => WorkShapes.LongCallback(n, insideTry: true), 100, 2000);

    [Fact]
    public Task LiveHandles_WorkPerStatementIsLinear() =>
        AssertLinear("100 live handles", n => WorkShapes.LiveHandles(100, n), 200, 2000);

    /// <summary>
    /// Handles compared with and set to <c>NULL</c> (a static field) used to become numbers bounded by each other, so every
    /// kill and every join at the cleanup label cost the number of live handles: work per handle grew with the handles.
    /// </summary>
    [Fact]
    public Task HandlesWithCleanupLabel_WorkPerHandleIsLinear() =>
        AssertLinear("handles with a cleanup label", WorkShapes.HandlesWithCleanupLabel, 25, 400);

    [Fact]
    public async Task HandlesWithCleanupLabel_CopiesAreStillJudged()
    {
        var source = WorkShapes.HandlesWithCleanupLabel(40).Replace(
            "RtlCopyMemory(buffer0, input, BlockSize);", "RtlCopyMemory(buffer0, input, BlockSize + 1);");
        var measured = await EngineMeasure.RunAsync(source, CopyAnalyzers());

        Assert.Equal("DRV020", Assert.Single(measured.Diagnostics).Id);
    }

    [Fact]
    public async Task CopyHeavyMethodInsideOneTry_FitsTheDefaultBudgetAndIsStillJudged()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.CopyHeavy(2000, insideTry: true), CopyAnalyzers());

        Assert.Equal(0, measured.Telemetry.BodiesOverBudget);
        Assert.True(measured.Work < WorkMeter.DefaultBudget / 4, $"work {measured.Work}");

        // Every copy of the shape is bounded (Math.Min and a guard, a 4-byte copy into a block of 8 or more bytes) and every
        // checked copy's status is tested: the analysis judged them all and found nothing.
        Assert.Empty(measured.Diagnostics);
    }

    [Fact]
    public async Task CopyHeavyMethod_AnUnboundedCopyIsStillFoundAtTheEnd()
    {
        var source = WorkShapes.CopyHeavy(2000).Replace(
            "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);",
            "RtlCopyMemory(outBuf, inBuf, inLen);\nWdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);");
        var measured = await EngineMeasure.RunAsync(source, CopyAnalyzers());

        Assert.Equal("DRV020", Assert.Single(measured.Diagnostics).Id);
    }

    /// <summary>
    /// Cross-method sizes (a helper's buffer sized by its callers, a helper's copies judged at its calls): a helper called
    /// from N callbacks costs each caller's analysis once more, for the helper's one summary per depth, not once per
    /// caller pair: work per caller from 10 to 40 callers at most doubles, and the helper's summaries stay a handful.
    /// </summary>
    [Fact]
    public async Task HelperWithManyCallers_CallerSizesCostLinear()
    {
        static string Callers(int callers)
        {
            var source = new System.Text.StringBuilder("class Driver {\n");
            for (var i = 0; i < callers; i++)
            {
                source.Append("void EvtIoWrite").Append(i).Append("(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n")
                      .Append("NTSTATUS status = WdfRequestRetrieveInputMemory(Request, out var memory);\n")
                      .Append("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n")
                      .Append("status = Process(WdfMemoryGetBuffer(memory, NULL), Length);\n")
                      .Append("status = CopyOut(Request, WdfMemoryGetBuffer(memory, NULL), Length);\n")
                      .Append("WdfRequestComplete(Request, status);\n}\n");
            }

            source.Append("NTSTATUS Process(PVOID Characters, nuint Length) {\n")
                  .Append("uint sum = 0;\nfor (nuint i = 0; i < Length; i++) { sum += Characters.Read<byte>(i); }\n")
                  .Append("return sum == 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;\n}\n")
                  .Append("NTSTATUS CopyOut(WDFREQUEST Request, PVOID Source, nuint Count) {\n")
                  .Append("NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);\n")
                  .Append("if (!NT_SUCCESS(status)) { return status; }\n")
                  .Append("return WdfMemoryCopyFromBuffer(memory, 0, Source, Count);\n}\n}\n");
            return source.ToString();
        }

        var small = await EngineMeasure.RunAsync(Callers(10), CopyAnalyzers());
        var large = await EngineMeasure.RunAsync(Callers(40), CopyAnalyzers());
        _output.WriteLine("10 callers: " + small.Telemetry);
        _output.WriteLine("40 callers: " + large.Telemetry);

        Assert.Empty(large.Diagnostics);
        Assert.True(large.Work / 40.0 <= 2 * (small.Work / 10.0), $"work {small.Work} for 10 callers, {large.Work} for 40");
        Assert.True(large.Telemetry.SummariesComputed <= 8, $"summaries {large.Telemetry.SummariesComputed}");
        Assert.Equal(0, large.Telemetry.BodiesOverBudget);
    }

    /// <summary>
    /// Helper chains as layered drivers write them (the benchmarks' helper-chains shape): each helper tests the length
    /// before it reads (<c>if (length &gt; 2) buffer.Read&lt;byte&gt;(2)</c>) and passes its own buffer parameter on. A
    /// helper called with its caller's own parameter cannot be sized by its callers (one level), which one call settles:
    /// only the first helper of each chain asks its callers (each caller's solve and the binding of every tree naming each
    /// helper were most of the Copies time of that shape). Every file has chains whose helpers have the same names.
    /// </summary>
    [Fact]
    public async Task HelperChainsTestingTheirLength_AskNoCaller()
    {
        const int Files = 12;
        const int Depth = 5;
        var sources = new List<(string, string)>();
        for (var f = 0; f < Files; f++)
        {
            var source = new System.Text.StringBuilder("class Chain").Append(f).Append(" {\n")
                .Append("static uint LastByte;\n")
                .Append("static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n")
                .Append("NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out PVOID input, out nuint inputLength);\n")
                .Append("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n")
                .Append("Step1(Request, input, inputLength, 0);\n}\n");
            for (var d = 1; d <= Depth; d++)
            {
                source.Append("static void Step").Append(d).Append("(WDFREQUEST request, PVOID buffer, nuint length, uint checksum) {\n");
                source.Append(d < Depth
                    ? $"if (length > {d}) {{ checksum += buffer.Read<byte>({d}); }}\nStep{d + 1}(request, buffer, length, checksum);\n"
                    : "LastByte = (byte)checksum;\nWdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length);\n");
                source.Append("}\n");
            }

            sources.Add(($"/0/Chain{f}.cs", source.Append("}\n").ToString()));
        }

        var measured = await EngineMeasure.RunAsync(sources, new DiagnosticAnalyzer[] { new CopyBoundsAnalyzer(), new PointerAccessAnalyzer() });
        _output.WriteLine(measured.Telemetry.ToString());

        // Only the first helper of each chain is called with a buffer of its caller's own (a retrieved one): its callers
        // are asked, once for its name in every tree; the helpers after it pass their own parameter on and ask none.
        Assert.Empty(measured.Diagnostics);
        Assert.InRange(measured.Telemetry.TreesBound, 1, Files);
    }

    /// <summary>
    /// The other side of <see cref="HelperChainsTestingTheirLength_AskNoCaller"/>: a helper that writes at a constant offset
    /// its length does not bound is judged with its callers' sizes, so its callers are asked (the trees naming it bound)
    /// and the write past the 2 bytes the helper tested for is found.
    /// </summary>
    [Fact]
    public async Task HelperWritingPastItsLength_AsksItsCallers()
    {
        var sources = new List<(string, string)>
        {
            ("/0/Callers.cs", """
                class Callers
                {
                    static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                    {
                        NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 2, out PVOID output, out nuint outputLength);
                        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                        if (outputLength != 2) { WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }
                        Helpers.Fill(output, outputLength);
                        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 2);
                    }
                }
                """),
            ("/0/Helpers.cs", """
                static class Helpers
                {
                    public static void Fill(PVOID block, nuint size)
                    {
                        if (size < 2) { return; }
                        block.Write<byte>(1, 1);
                        block.Write<byte>(2, 1);
                    }
                }
                """),
        };

        var measured = await EngineMeasure.RunAsync(sources, new DiagnosticAnalyzer[] { new CopyBoundsAnalyzer(), new PointerAccessAnalyzer() });
        _output.WriteLine(measured.Telemetry.ToString());

        Assert.True(measured.Telemetry.TreesBound >= 1, measured.Telemetry.ToString());
        var finding = Assert.Single(measured.Diagnostics);
        Assert.Equal("DRV024", finding.Id);
        Assert.Contains("Write<byte>(2, 1)", finding.Location.SourceTree!.GetText().ToString(finding.Location.SourceSpan));
    }

    /// <summary>
    /// Sizes out of a helper's <c>out</c> structure (VHidMini2's <c>HID_XFER_PACKET</c>): the helper is summarized once per
    /// depth however many callers it has (the summaries do not grow from 5 to 20 callers), each caller's write past the
    /// packet's length is found, work per caller stays linear, and no other tree is bound (20 trees that never name the
    /// helper, and the callers' own, bind nothing).
    /// </summary>
    [Fact]
    public async Task HelperOutStructure_SummarizedOncePerDepth_BindsNoTree()
    {
        static List<(string, string)> Sources(int callers)
        {
            var sources = new List<(string, string)>
            {
                ("/0/Packets.cs", """
                    static class Packets
                    {
                        public struct HID_XFER_PACKET
                        {
                            public PVOID reportBuffer;
                            public uint reportBufferLen;
                        }

                        public static NTSTATUS GetPacket(WDFREQUEST Request, out HID_XFER_PACKET Packet)
                        {
                            Packet = default;
                            NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                            if (!NT_SUCCESS(status)) { return status; }
                            PVOID buffer = WdfMemoryGetBuffer(memory, out var length);
                            Packet.reportBuffer = buffer;
                            Packet.reportBufferLen = (uint)length;
                            return status;
                        }
                    }
                    """),
            };
            for (var i = 0; i < callers; i++)
            {
                sources.Add(($"/0/Caller{i}.cs", "class Caller" + i + " {\n" +
                    "static NTSTATUS Report(WDFREQUEST Request) {\n" +
                    "NTSTATUS status = Packets.GetPacket(Request, out var packet);\n" +
                    "if (!NT_SUCCESS(status)) { return status; }\n" +
                    "packet.reportBuffer.Write<byte>(0, 1);\n" +
                    "packet.reportBuffer.Write<byte>(1, " + (i % 200) + ");\n" +
                    "return status;\n}\n}\n"));
            }

            for (var i = 0; i < 20; i++)
            {
                sources.Add(($"/0/Unrelated{i}.cs", "class Unrelated" + i + " {\n" +
                    "static int Sum(int[] values) { int total = 0; foreach (var v in values) { total += v; } return total; }\n}\n"));
            }

            return sources;
        }

        var analyzers = CopyAnalyzers();
        var small = await EngineMeasure.RunAsync(Sources(5), analyzers);
        var large = await EngineMeasure.RunAsync(Sources(20), analyzers);
        _output.WriteLine("5 callers: " + small.Telemetry);
        _output.WriteLine("20 callers: " + large.Telemetry);

        Assert.Equal(5, small.Diagnostics.Count(d => d.Id == "DRV024"));
        Assert.Equal(20, large.Diagnostics.Count(d => d.Id == "DRV024"));
        Assert.Equal(small.Telemetry.SummariesComputed, large.Telemetry.SummariesComputed);
        Assert.InRange(large.Telemetry.SummariesComputed, 1, 4);
        Assert.Equal(0, large.Telemetry.TreesBound);
        Assert.Equal(0, large.Telemetry.NamedNodesBound);
        Assert.True(large.Work / 20.0 <= 2 * (small.Work / 5.0), $"work {small.Work} for 5 callers, {large.Work} for 20");
    }

    /// <summary>
    /// A <c>static readonly</c> pool block given to the copies of every callback (the benchmarks' long-method and copy-heavy
    /// shapes): the size analysis asks whether the block is kept with its size in another member, which reads the member's
    /// writes in every tree that names it. A member only read and passed has no write to bind: no name is bound (the passes
    /// were bound with the writes, binding every callback's body, a quarter of the Copies time of those shapes).
    /// </summary>
    [Fact]
    public async Task ReadonlyPoolBlockPassedToEveryCopy_BindsNoName()
    {
        const int Files = 10;
        var sources = new List<(string, string)>
        {
            ("/0/Scratch.cs", """
                static class Scratch
                {
                    public const uint Tag = 0x68637253;
                    public const nuint Size = 64;
                    public static readonly PVOID Block = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, Tag);
                }
                """),
        };
        for (var f = 0; f < Files; f++)
        {
            sources.Add(($"/0/Callback{f}.cs", "class Callback" + f + " {\n" +
                "static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
                "NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 16, out PVOID input, out nuint inputLength);\n" +
                "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
                "RtlCopyMemory(Scratch.Block, input, 16);\n" +
                "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 16);\n}\n}\n"));
        }

        var measured = await EngineMeasure.RunAsync(sources, new DiagnosticAnalyzer[] { new CopyBoundsAnalyzer(), new PointerAccessAnalyzer() });
        _output.WriteLine(measured.Telemetry.ToString());

        Assert.Empty(measured.Diagnostics);
        Assert.Equal(0, measured.Telemetry.NamedNodesBound);
    }

    [Fact]
    public async Task TheCopyAnalyzers_ShareOneAnalysisPerBody()
    {
        var source = WorkShapes.CopyHeavy(60);
        var boundsOnly = await EngineMeasure.RunAsync(source, new DiagnosticAnalyzer[] { new CopyBoundsAnalyzer() });
        var both = await EngineMeasure.RunAsync(source, CopyAnalyzers());

        Assert.Equal(1, both.Telemetry.BodiesAnalyzed);
        Assert.Equal(2, both.Telemetry.SharedResultsReused);
        Assert.Equal(boundsOnly.Telemetry.FunctionsSolved, both.Telemetry.FunctionsSolved);
        Assert.Equal(boundsOnly.Telemetry.BlocksVisited, both.Telemetry.BlocksVisited);
        Assert.Equal(boundsOnly.Telemetry.OperationsStepped, both.Telemetry.OperationsStepped);
    }

    /// <summary>
    /// The replay steps a block from its solved entry state only as far as its last call (or constant store, or lambda):
    /// a stretch of arithmetic that no call follows in its block costs the size replay nothing, so its steps per statement
    /// are fewer than those of the same stretch followed by a call in the same block. (Before, the replay stepped every
    /// reached operation, twice: both stretches cost the same.)
    /// </summary>
    [Fact]
    public async Task Replay_StepsNoFurtherThanTheLastCallOfABlock()
    {
        static string Tail(int statements, bool callAfter)
        {
            var tail = new System.Text.StringBuilder();
            for (var i = 0; i < statements; i++)
            {
                tail.Append("total = total + ").Append(i % 7).Append(";\n");
            }

            return "class Driver {\n" +
                   "void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
                   "NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);\n" +
                   "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
                   "nuint total = 0;\n" +
                   "if (Length > 8) {\n" + tail + (callAfter ? "buffer.Write<uint>(0, 1);\n" : "") + "}\n" +
                   "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, total);\n" +
                   "}\n}\n";
        }

        async Task<double> StepsPerStatement(bool callAfter)
        {
            var small = await EngineMeasure.RunAsync(Tail(100, callAfter), CopyAnalyzers());
            var large = await EngineMeasure.RunAsync(Tail(300, callAfter), CopyAnalyzers());
            Assert.Empty(small.Diagnostics);
            Assert.Empty(large.Diagnostics);
            return (large.Telemetry.OperationsStepped - small.Telemetry.OperationsStepped) / 200.0;
        }

        var noCallAfter = await StepsPerStatement(callAfter: false);
        var callAfter = await StepsPerStatement(callAfter: true);
        _output.WriteLine($"steps per statement: {noCallAfter:F2} with no call after the stretch, {callAfter:F2} with one");

        Assert.True(noCallAfter > 0, "the stretch was not analyzed");
        Assert.True(noCallAfter <= 0.8 * callAfter, $"{noCallAfter:F2} steps per statement without a call after it, {callAfter:F2} with one");
    }

    [Fact]
    public async Task OrdinaryCode_CostsNoGraph()
    {
        var measured = await EngineMeasure.RunAsync(WorkShapes.OrdinaryCode(50), CopyAnalyzers());

        Assert.Equal(0, measured.Telemetry.GraphsBuilt);
        Assert.Equal(0, measured.Work);
    }

    private async Task AssertLinear(string shape, System.Func<int, string> source, int small, int large)
    {
        var a = await EngineMeasure.RunAsync(source(small), CopyAnalyzers());
        var b = await EngineMeasure.RunAsync(source(large), CopyAnalyzers());
        var perSmall = a.Work / (double)small;
        var perLarge = b.Work / (double)large;
        _output.WriteLine($"{shape}: {small} -> work {a.Work} ({perSmall:F1} per unit); {large} -> work {b.Work} ({perLarge:F1} per unit)");
        _output.WriteLine($"  {small}: {a.Telemetry}");
        _output.WriteLine($"  {large}: {b.Telemetry}");

        Assert.True(a.Work > 0, "the shape was not analyzed");
        Assert.Equal(0, b.Telemetry.BodiesOverBudget);
        Assert.True(perLarge <= 2 * perSmall, $"{shape}: {perLarge:F1} work per unit at {large}, {perSmall:F1} at {small}");
    }
}
