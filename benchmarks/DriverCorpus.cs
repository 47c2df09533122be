using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DriverBuffers.Benchmarks;

/// <summary>
/// A generated corpus of driver methods: queue callbacks, completion routines and helpers in the shapes of the
/// reference scenarios (branches, loops, switch, goto, try/finally, helpers), some with lifetime bugs. The same
/// text compiles against the real API, or against a look-alike namespace that is not the API (the analyzers must
/// then register nothing).
/// </summary>
public static class DriverCorpus
{
    /// <summary>Methods per generated class: one callback of each of five shapes plus a helper.</summary>
    private const int MethodsPerClass = 6;

    public static Compilation Create(int methods, bool withApi)
    {
        var trees = new System.Collections.Generic.List<SyntaxTree>();
        var classes = (methods + MethodsPerClass - 1) / MethodsPerClass;
        const int classesPerFile = 10;
        for (var file = 0; file * classesPerFile < classes; file++)
        {
            var text = new StringBuilder();
            text.AppendLine(withApi
                ? "using DriverBuffers; using static DriverBuffers.Wdf; using static DriverBuffers.Wdm;"
                : "using LookAlike; using static LookAlike.Wdf; using static LookAlike.Wdm;");
            text.AppendLine("namespace Corpus;");
            for (var c = file * classesPerFile; c < classes && c < (file + 1) * classesPerFile; c++)
            {
                AppendClass(text, c);
            }

            trees.Add(CSharpSyntaxTree.ParseText(text.ToString(), path: $"/corpus/File{file}.cs"));
        }

        if (!withApi)
        {
            trees.Add(CSharpSyntaxTree.ParseText(LookAlikeApi, path: "/corpus/LookAlike.cs"));
        }

        var references = Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>();
        if (withApi)
        {
            references = references.Append(MetadataReference.CreateFromFile(typeof(DriverBuffers.Wdf).Assembly.Location));
        }

        return CSharpCompilation.Create(
            withApi ? "CorpusWithApi" : "CorpusWithoutApi",
            trees,
            references.ToImmutableArray(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static void AppendClass(StringBuilder text, int index)
    {
        var buggy = index % 4 == 0;
        text.Append("public sealed class Driver").Append(index).AppendLine(" {");
        text.AppendLine("  private WDFQUEUE _manual; private uint _last;");

        // Scenario 1 with branches and an optional use after completion.
        text.AppendLine("  public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {");
        text.AppendLine("    NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);");
        text.AppendLine("    if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        text.AppendLine("    for (nuint i = 0; i + 4 <= length && i < 64; i += 4) { buffer.Write<uint>(i, (uint)i); }");
        text.AppendLine("    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, length);");
        text.AppendLine(buggy ? "    buffer.Write<uint>(0, 1);" : "    _last = (uint)length;");
        text.AppendLine("  }");

        // Scenario 2: forward with goto End.
        text.AppendLine("  public void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {");
        text.AppendLine("    NTSTATUS status; WDFMEMORY memory; WDFIOTARGET ioTarget; bool ret;");
        text.AppendLine("    ioTarget = WdfDeviceGetIoTarget(WdfIoQueueGetDevice(Queue));");
        text.AppendLine("    status = WdfRequestRetrieveInputMemory(Request, out memory);");
        text.AppendLine("    if (!NT_SUCCESS(status)) { goto End; }");
        text.AppendLine("    status = WdfIoTargetFormatRequestForWrite(ioTarget, Request, memory, NULL, NULL);");
        text.AppendLine("    if (!NT_SUCCESS(status)) { goto End; }");
        text.AppendLine("    WdfRequestSetCompletionRoutine(Request, Done, WDF_NO_CONTEXT);");
        text.AppendLine("    ret = WdfRequestSend(Request, ioTarget, WDF_NO_SEND_OPTIONS);");
        text.AppendLine("    if (!ret) { status = WdfRequestGetStatus(Request); goto End; }");
        text.AppendLine("    return;");
        text.AppendLine("  End:");
        text.AppendLine("    WdfRequestComplete(Request, status);");
        text.AppendLine("  }");

        // Completion routine.
        text.AppendLine("  public void Done(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) {");
        text.AppendLine("    WdfRequestComplete(Request, Params.IoStatus.Status);");
        text.AppendLine("  }");

        // Switch with helpers, try/finally.
        text.AppendLine("  public void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode) {");
        text.AppendLine("    switch (IoControlCode) {");
        text.AppendLine("      case 1: Finish(Request, STATUS_SUCCESS); break;");
        text.AppendLine("      case 2: { NTSTATUS s = WdfRequestForwardToIoQueue(Request, _manual); if (!NT_SUCCESS(s)) { WdfRequestComplete(Request, s); } break; }");
        text.AppendLine("      case 3: try { _last++; } finally { WdfRequestComplete(Request, STATUS_SUCCESS); } break;");
        text.AppendLine(buggy ? "      default: break;" : "      default: WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST); break;");
        text.AppendLine("    }");
        text.AppendLine("  }");

        // A method that only computes (no request at all): the pre-filter skips it.
        text.AppendLine("  public uint Checksum(uint seed, int rounds) {");
        text.AppendLine("    uint value = seed; for (int i = 0; i < rounds; i++) { value = (value << 5) ^ (value >> 3) ^ (uint)i; if ((value & 1) == 0) { value += 7; } } return value;");
        text.AppendLine("  }");

        text.AppendLine("  private static void Finish(WDFREQUEST request, NTSTATUS status) { WdfRequestComplete(request, status); }");
        text.AppendLine("}");
    }

    /// <summary>Types and members with the API's names in another namespace: code of the same size and shape, no API.</summary>
    private const string LookAlikeApi = """
        namespace LookAlike
        {
            public struct NTSTATUS { }
            public struct PVOID { public void Write<T>(nuint offset, T value) where T : unmanaged { } }
            public struct WDFQUEUE { } public struct WDFREQUEST { } public struct WDFMEMORY { } public struct WDFIOTARGET { } public struct WDFDEVICE { }
            public sealed class WDF_REQUEST_COMPLETION_PARAMS { public IO_STATUS_BLOCK IoStatus { get; } = new(); }
            public sealed class IO_STATUS_BLOCK { public NTSTATUS Status { get; set; } }
            public sealed class WDF_REQUEST_SEND_OPTIONS { }
            public delegate void Routine(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context);
            public static class Wdf
            {
                public static readonly object? WDF_NO_CONTEXT = null;
                public static readonly WDF_REQUEST_SEND_OPTIONS? WDF_NO_SEND_OPTIONS = null;
                public static NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST r, nuint min, out PVOID b, out nuint l) { b = default; l = 0; return default; }
                public static NTSTATUS WdfRequestRetrieveInputMemory(WDFREQUEST r, out WDFMEMORY m) { m = default; return default; }
                public static void WdfRequestComplete(WDFREQUEST r, NTSTATUS s) { }
                public static void WdfRequestCompleteWithInformation(WDFREQUEST r, NTSTATUS s, nuint i) { }
                public static WDFIOTARGET WdfDeviceGetIoTarget(WDFDEVICE d) => default;
                public static WDFDEVICE WdfIoQueueGetDevice(WDFQUEUE q) => default;
                public static NTSTATUS WdfIoTargetFormatRequestForWrite(WDFIOTARGET t, WDFREQUEST r, WDFMEMORY m, PVOID? a, PVOID? b) => default;
                public static void WdfRequestSetCompletionRoutine(WDFREQUEST r, Routine c, object? context) { }
                public static bool WdfRequestSend(WDFREQUEST r, WDFIOTARGET t, WDF_REQUEST_SEND_OPTIONS? o) => true;
                public static NTSTATUS WdfRequestGetStatus(WDFREQUEST r) => default;
                public static NTSTATUS WdfRequestForwardToIoQueue(WDFREQUEST r, WDFQUEUE q) => default;
            }
            public static class Wdm
            {
                public static readonly NTSTATUS STATUS_SUCCESS = default;
                public static readonly NTSTATUS STATUS_INVALID_DEVICE_REQUEST = default;
                public static readonly PVOID? NULL = null;
                public static bool NT_SUCCESS(NTSTATUS s) => true;
            }
        }
        """;
}
