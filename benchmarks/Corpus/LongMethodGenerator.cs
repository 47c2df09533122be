using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Long queue callbacks: a report builder that reads settings from the input buffer and writes records into the
/// output buffer, each size checked against the buffer's length, with copies through a pool scratch buffer,
/// one statement per line (the size is the number of statements of each method's body). The corpus holds
/// <see cref="TotalStatements"/> statements in all, so a 100-statement shape has 20 methods and a 2,000-statement
/// one has one: time per statement compares directly. Optionally the whole body is inside one <c>try</c> whose
/// <c>catch</c> takes the probe's exception (a neither-I/O input probed first), as C drivers wrap
/// <c>ProbeForRead</c> in <c>__try/__except</c>.
/// </summary>
public sealed class LongMethodGenerator : IShapeGenerator
{
    public const int TotalStatements = 2000;

    private readonly bool _insideTry;

    public LongMethodGenerator(bool insideTry) => _insideTry = insideTry;

    public string SizeUnit => "statements per method";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        var methods = TotalStatements / size < 1 ? 1 : TotalStatements / size;
        var w = SourceWriter.DriverFile(nameSpace);
        w.Open("public static class ReportQueue");
        w.Line("public const uint PoolTag = 0x74706552;");
        w.Line("public const nuint ScratchSize = 64;");
        w.Line("public const nuint HeaderSize = 16;");
        w.Line("private static readonly PVOID Scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, ScratchSize, PoolTag);");
        w.Line("private static uint Updates;");
        w.Line("private static nuint Total;");
        for (var m = 0; m < methods; m++)
        {
            w.Line();
            WriteMethod(w, m, size);
        }

        w.Close();
        return new[] { SourceFile.From($"{nameSpace}/ReportQueue.cs", w) };
    }

    private void WriteMethod(SourceWriter w, int m, int statements)
    {
        var before = w.Statements;
        if (_insideTry)
        {
            // Neither I/O: the user's input is retrieved in the caller's context and probed inside the try.
            w.Open($"public static void EvtIoInCallerContext{m}(WDFDEVICE Device, WDFREQUEST Request)");
        }
        else
        {
            w.Open($"public static void EvtIoDeviceControl{m}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)");
        }

        w.Statement("NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, HeaderSize, out PVOID report, out nuint reportLength);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement(_insideTry
            ? "status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, sizeof(uint), out PVOID input, out nuint inputLength);"
            : "status = WdfRequestRetrieveInputBuffer(Request, sizeof(uint), out PVOID input, out nuint inputLength);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("nuint offset = 0;");
        w.Statement("nuint size0 = 4;");
        w.Statement("uint checksum = 0;");
        if (_insideTry)
        {
            w.Open("try");
            w.Statement("ProbeForRead(input, inputLength, sizeof(uint));");
        }

        w.Statement("checksum = input.Read<uint>(0);");
        var last = 0;
        var trailer = _insideTry ? 3 : 1;
        for (var i = 1; w.Statements - before < statements - trailer; i++)
        {
            switch (i % 8)
            {
                case 0:
                    w.Statement($"nuint size{i} = (nuint)((checksum >> {i % 24}) & 0x1F) + 1;");
                    last = i;
                    break;
                case 1:
                    w.Statement($"if (offset + size{last} <= reportLength) {{ RtlFillMemory(report + offset, size{last}, 0x{i % 256:X2}); offset += size{last}; }}");
                    break;
                case 2:
                    w.Statement($"checksum = (checksum << 3) ^ (checksum >> 29) ^ {i}u;");
                    break;
                case 3:
                    w.Statement($"if (inputLength >= {4 * (i % 16) + 4}) {{ checksum += input.Read<uint>({4 * (i % 16)}); }}");
                    break;
                case 4:
                    w.Statement("if (offset + sizeof(uint) <= reportLength) { report.Write<uint>(offset, checksum); offset += sizeof(uint); }");
                    break;
                case 5:
                    w.Statement($"Total += size{last};");
                    break;
                case 6:
                    w.Statement($"if (size{last} <= ScratchSize && size{last} <= inputLength) {{ RtlCopyMemory(Scratch, input, size{last}); }}");
                    break;
                default:
                    w.Statement("Updates++;");
                    break;
            }
        }

        if (_insideTry)
        {
            w.Close();
            w.Open("catch (NtStatusException e)");
            w.Statement("WdfRequestComplete(Request, e.Status);");
            w.Statement("return;");
            w.Close();
            w.Line();
        }

        w.Statement("WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, offset);");
        w.Close();
    }
}
