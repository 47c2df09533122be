using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Methods that hold many handles at once: memory objects with their buffers, pool blocks described by MDLs,
/// and the request's own buffers, all created up front (each failure jumps to one cleanup label), filled and
/// chained by copies of known sizes, then released in reverse at <c>Exit</c>, as a scatter/gather transfer
/// set-up does. Size: handles alive at once in each of <see cref="Methods"/> methods. One method frees a block
/// with the wrong tag (DRV034).
/// </summary>
public sealed class ManyHandlesGenerator : IShapeGenerator
{
    public const int Methods = 6;

    public string SizeUnit => "handles per method";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        var w = SourceWriter.DriverFile(nameSpace);
        w.Open("public static class TransferSetup");
        w.Line("public const uint PoolTag = 0x73666E54;");
        w.Line("public const uint OtherTag = 0x72687442;");
        w.Line("public const nuint BlockSize = 64;");
        for (var m = 0; m < Methods; m++)
        {
            w.Line();
            WriteMethod(w, m, size);
        }

        w.Close();
        return new[] { SourceFile.From($"{nameSpace}/TransferSetup.cs", w) };
    }

    private static void WriteMethod(SourceWriter w, int m, int handles)
    {
        w.Open($"public static void EvtIoWrite{m}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)");
        w.Statement("NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, BlockSize, out PVOID input, out nuint inputLength);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        for (var i = 0; i < handles; i++)
        {
            w.Statement(i % 2 == 0 ? $"WDFMEMORY memory{i} = default;" : $"PVOID block{i} = NULL;");
            w.Statement(i % 2 == 0 ? $"PVOID buffer{i} = NULL;" : $"PMDL mdl{i} = default;");
        }

        w.Line();
        for (var i = 0; i < handles; i++)
        {
            if (i % 2 == 0)
            {
                w.Statement($"status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, PoolTag, BlockSize, out memory{i}, out buffer{i});");
                w.Statement("if (!NT_SUCCESS(status)) { goto Exit; }");
            }
            else
            {
                w.Statement($"block{i} = ExAllocatePool2(POOL_FLAG_NON_PAGED, BlockSize, PoolTag);");
                w.Statement($"if (block{i} == NULL) {{ status = STATUS_INSUFFICIENT_RESOURCES; goto Exit; }}");
                w.Statement($"mdl{i} = IoAllocateMdl(block{i}, (uint)BlockSize, false, false, null);");
                w.Statement($"if (mdl{i} == default) {{ status = STATUS_INSUFFICIENT_RESOURCES; goto Exit; }}");
                w.Statement($"MmBuildMdlForNonPagedPool(mdl{i});");
            }
        }

        w.Line();
        w.Statement("RtlCopyMemory(buffer0, input, BlockSize);");
        for (var i = 1; i < handles; i++)
        {
            var from = (i - 1) % 2 == 0 ? $"buffer{i - 1}" : $"block{i - 1}";
            var to = i % 2 == 0 ? $"buffer{i}" : $"block{i}";
            w.Statement($"RtlCopyMemory({to}, {from}, BlockSize);");
            w.Statement($"{to}.Write<uint>({4 * (i % 16)}, {i}u);");
        }

        w.Statement("status = STATUS_SUCCESS;");
        w.Line();
        w.Line("Exit:");
        for (var i = handles - 1; i >= 0; i--)
        {
            if (i % 2 == 0)
            {
                w.Statement($"if (memory{i} != default) {{ WdfObjectDelete(memory{i}); }}");
            }
            else
            {
                w.Statement($"if (mdl{i} != default) {{ IoFreeMdl(mdl{i}); }}");
                var tag = m == Methods - 1 && i == 1 ? "OtherTag" : "PoolTag";
                w.Statement($"if (block{i} != NULL) {{ ExFreePoolWithTag(block{i}, {tag}); }}");
            }
        }

        w.Statement("WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? inputLength : 0);");
        w.Close();
    }
}
