using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Read callbacks that walk a bank/row/column table in three nested loops (<c>for</c>, <c>for</c>, <c>while</c>)
/// with <c>continue</c>, a <c>goto Done</c> out of the innermost loop on a sentinel, a <c>goto Exit</c> when the
/// output is full, and a <c>goto Retry</c> loop around a busy lower target, as C drivers write them. One method
/// in 10 writes the output after completing the request (DRV001). Size: methods.
/// </summary>
public sealed class LoopsWithGotoGenerator : IShapeGenerator
{
    private const int MethodsPerFile = 20;

    public string SizeUnit => "methods";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        return SourceFile.InFiles(size, MethodsPerFile, (file, first, end) =>
        {
            var w = SourceWriter.DriverFile(nameSpace);
            w.Open($"public static class TableReader{file}");
            w.Line("public const uint RecordSize = 4;");
            w.Line("public const uint Banks = 4;");
            w.Line("public const uint Rows = 16;");
            w.Line("public const uint Columns = 32;");
            w.Line("private static WDFIOTARGET LowerTarget;");
            w.Line("private static WDFMEMORY RefreshMemory;");
            for (var m = first; m < end; m++)
            {
                w.Line();
                WriteMethod(w, m);
            }

            w.Close();
            return SourceFile.From($"{nameSpace}/TableReader{file}.cs", w);
        });
    }

    private static void WriteMethod(SourceWriter w, int m)
    {
        var buggy = m % 10 == 9;
        w.Open($"public static void EvtIoRead{m}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)");
        w.Statement("nuint written = 0;");
        w.Statement("int retries = 3;");
        w.Statement("NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, RecordSize, out PVOID output, out nuint outputLength);");
        w.Statement("if (!NT_SUCCESS(status)) { goto Exit; }");
        w.Line("Retry:");
        w.Statement("WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out WDF_MEMORY_DESCRIPTOR descriptor, RefreshMemory, null);");
        w.Statement("status = WdfIoTargetSendReadSynchronously(LowerTarget, WDF_NO_HANDLE, descriptor, null, null, out nuint refreshed);");
        w.Statement("if (status == STATUS_DEVICE_BUSY && retries-- > 0) { goto Retry; }");
        w.Statement("if (!NT_SUCCESS(status)) { goto Exit; }");
        w.Open("for (uint bank = 0; bank < Banks; bank++)");
        w.Open("for (uint row = 0; row < Rows; row++)");
        w.Statement("uint column = 0;");
        w.Open("while (column < Columns)");
        w.Statement("if (written + RecordSize > outputLength) { status = STATUS_BUFFER_OVERFLOW; goto Exit; }");
        w.Statement("uint value = (bank << 16) | (row << 8) | column;");
        w.Statement("if ((value & 0xF) == 0xF) { column++; continue; }");
        w.Statement($"if (value == 0x{(m * 2654435761u) & 0x3101F:X}u) {{ goto Done; }}");
        w.Statement("output.Write<uint>(written, value);");
        w.Statement("written += RecordSize;");
        w.Statement("column++;");
        w.Close();
        w.Open($"if (row == {m % 16}u && written >= refreshed)");
        w.Statement("break;");
        w.Close();
        w.Close();
        w.Close();
        w.Line();
        w.Line("Done:");
        w.Statement("WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, written);");
        w.Statement(buggy ? "output.Write<uint>(0, (uint)written);" : "return;");
        if (buggy)
        {
            w.Statement("return;");
        }

        w.Line();
        w.Line("Exit:");
        w.Statement("WdfRequestComplete(Request, status);");
        w.Close();
    }
}
