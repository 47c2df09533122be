using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Long queue callbacks, one statement per line (the size is the number of statements of each method's body):
/// a report builder that takes field after field from the input buffer, each length clamped to the input's
/// length and a field's maximum, checked against the room left in the output buffer (<c>goto Exit</c> when
/// full), copied into the output and into a pool scratch buffer, as long IOCTL routines that marshal a packed
/// structure do. Every length stays bounded for the rest of the method, so the facts a size analysis keeps
/// grow with the method. The corpus holds <see cref="TotalStatements"/> statements in all, so a
/// 100-statement shape has 20 methods and a 2,000-statement one has one: time per statement compares directly.
/// Optionally the body is inside one <c>try</c> whose <c>catch</c> turns a raised status into the request's
/// status (C's <c>__try/__except</c> around the marshalling of caller data); the statements are the same.
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
        w.Open($"public static void EvtIoDeviceControl{m}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)");
        w.Statement("NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, HeaderSize, out PVOID report, out nuint reportLength);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("status = WdfRequestRetrieveInputBuffer(Request, sizeof(uint), out PVOID input, out nuint inputLength);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("nuint offset = 0;");
        w.Statement("uint checksum = 0;");
        if (_insideTry)
        {
            w.Open("try");
        }

        w.Statement("checksum = input.Read<uint>(0);");
        var trailer = _insideTry ? 3 : 2;
        var size = 0;
        for (var i = 0; w.Statements - before < statements - trailer; i++)
        {
            switch (i % 8)
            {
                case 0:
                    size = i;
                    w.Statement($"nuint size{size} = inputLength < {8 + 4 * (i % 29)} ? inputLength : {8 + 4 * (i % 29)};");
                    break;
                case 1:
                    w.Statement($"if (offset + size{size} > reportLength) {{ status = STATUS_BUFFER_TOO_SMALL; goto Exit; }}");
                    break;
                case 2:
                    w.Statement($"RtlCopyMemory(report + offset, input, size{size});");
                    break;
                case 3:
                    w.Statement($"offset += size{size};");
                    break;
                case 4:
                    w.Statement($"checksum = (checksum << 3) ^ (checksum >> 29) ^ {i}u;");
                    break;
                case 5:
                    w.Statement($"if (size{size} <= ScratchSize) {{ RtlCopyMemory(Scratch, input, size{size}); }}");
                    break;
                case 6:
                    w.Statement($"if (inputLength >= {4 * (i % 16) + 4}) {{ checksum += input.Read<uint>({4 * (i % 16)}); }}");
                    break;
                default:
                    w.Statement($"Total += size{size};");
                    break;
            }
        }

        w.Statement("status = STATUS_SUCCESS;");
        if (_insideTry)
        {
            w.Close();
            w.Open("catch (NtStatusException e)");
            w.Statement("status = e.Status;");
            w.Close();
            w.Line();
        }

        w.Line("Exit:");
        w.Statement("WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? offset : 0);");
        w.Close();
    }
}
