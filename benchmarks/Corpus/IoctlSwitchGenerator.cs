using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Queue callbacks whose <c>EvtIoDeviceControl</c> dispatches a 200-case IOCTL switch, as a device with a rich
/// control interface has: counters, echo, statistics through a memory object, settings, forwarding to a manual
/// queue, pool scratch buffers, helpers that complete, MDL mappings. Cases either complete and return, or set the
/// status and information and break to the one completion after the switch. One case in 23 has a bug (DRV001,
/// DRV003, DRV020/023, DRV021, DRV022, DRV030, DRV032). Size: device classes (about 2,000 lines each).
/// </summary>
public sealed class IoctlSwitchGenerator : IShapeGenerator
{
    public const int Cases = 200;

    public string SizeUnit => "classes";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        var files = new List<SourceFile>();
        for (var c = 0; c < size; c++)
        {
            var w = SourceWriter.DriverFile(nameSpace);
            WriteClass(w, c);
            files.Add(SourceFile.From($"{nameSpace}/ControlQueue{c}.cs", w));
        }

        return files;
    }

    /// <summary>One device context and its control queue of <paramref name="cases"/> cases (the IDE-path document has fewer).</summary>
    public static void WriteClass(SourceWriter w, int c, int cases = Cases)
    {
        w.Open($"public sealed class CONTROL_CONTEXT_{c}");
        w.Line("public WDFQUEUE ManualQueue;");
        w.Line("public PVOID Statistics;");
        w.Line("public nuint StatisticsSize = 64;");
        w.Line("public uint Counter;");
        w.Line("public ulong Setting;");
        w.Line("public nuint LastInformation;");
        w.Close();
        w.Line();
        w.Open($"public static class ControlQueue{c}");
        w.Line("public const uint IOCTL_BASE = 0x222000;");
        w.Line($"public const uint PoolTag = 0x{0x6C744300 + (c % 200):X8};");
        w.Line($"private static readonly CONTROL_CONTEXT_{c} Context = new();");
        w.Line();
        w.Open("public static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)");
        w.Statement("NTSTATUS status = STATUS_SUCCESS;");
        w.Statement("nuint information = 0;");
        w.Statement("var ctx = Context;");
        w.Open("switch (IoControlCode)");
        for (var k = 0; k < cases; k++)
        {
            WriteCase(w, k, buggy: k % 23 == 22);
        }

        w.Line("default:");
        w.Statement("    status = STATUS_INVALID_DEVICE_REQUEST;");
        w.Statement("    break;");
        w.Close();
        w.Line();
        w.Statement("WdfRequestCompleteWithInformation(Request, status, information);");
        w.Close();
        w.Line();
        w.Open($"private static void HandleReset(WDFREQUEST request, CONTROL_CONTEXT_{c} ctx, nuint inputLength)");
        w.Open("if (inputLength != 0)");
        w.Statement("WdfRequestComplete(request, STATUS_INVALID_PARAMETER);");
        w.Statement("return;");
        w.Close();
        w.Line();
        w.Statement("ctx.Counter = 0;");
        w.Statement("WdfRequestComplete(request, STATUS_SUCCESS);");
        w.Close();
        w.Close();
    }

    private static void WriteCase(SourceWriter w, int k, bool buggy)
    {
        w.Open($"case IOCTL_BASE + {4 * k}:");
        switch (k % 8)
        {
            case 0:
                w.Statement("status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out PVOID output, out nuint outputLength);");
                BreakOnFailure(w);
                if (buggy)
                {
                    // DRV001: the buffer died with the request.
                    w.Statement("WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));");
                    w.Statement($"output.Write<uint>(0, ctx.Counter + {k}u);");
                    w.Statement("return;");
                }
                else
                {
                    w.Statement($"output.Write<uint>(0, ctx.Counter + {k}u);");
                    w.Statement("information = sizeof(uint);");
                    w.Statement("break;");
                }

                break;
            case 1:
                w.Statement("status = WdfRequestRetrieveInputBuffer(Request, 1, out PVOID input, out nuint inputLength);");
                BreakOnFailure(w);
                w.Statement("status = WdfRequestRetrieveOutputBuffer(Request, 1, out PVOID output, out nuint outputLength);");
                BreakOnFailure(w);
                if (buggy)
                {
                    // DRV020 and DRV023: the input's length copied into, and reported for, the output buffer.
                    w.Statement("RtlCopyMemory(output, input, inputLength);");
                    w.Statement("information = inputLength;");
                }
                else
                {
                    w.Statement("nuint length = inputLength < outputLength ? inputLength : outputLength;");
                    w.Statement("RtlCopyMemory(output, input, length);");
                    w.Statement("information = length;");
                }

                w.Statement("break;");
                break;
            case 2:
                w.Open("if (OutputBufferLength < ctx.StatisticsSize)");
                w.Statement("status = STATUS_BUFFER_TOO_SMALL;");
                w.Statement("information = ctx.StatisticsSize;");
                w.Statement("break;");
                w.Close();
                w.Line();
                w.Statement("status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);");
                BreakOnFailure(w);
                if (buggy)
                {
                    // DRV021: the copy's status is dropped.
                    w.Statement("WdfMemoryCopyFromBuffer(memory, 0, ctx.Statistics, ctx.StatisticsSize);");
                    w.Statement("information = ctx.StatisticsSize;");
                }
                else
                {
                    w.Statement("status = WdfMemoryCopyFromBuffer(memory, 0, ctx.Statistics, ctx.StatisticsSize);");
                    w.Open("if (NT_SUCCESS(status))");
                    w.Statement("information = ctx.StatisticsSize;");
                    w.Close();
                }

                w.Statement("break;");
                break;
            case 3:
                w.Statement("status = WdfRequestRetrieveInputBuffer(Request, sizeof(ulong), out PVOID input, out _);");
                if (!buggy)
                {
                    // (DRV022 when the check is missing.)
                    BreakOnFailure(w);
                }

                w.Statement($"ctx.Setting = input.Read<ulong>(0) ^ {k}ul;");
                w.Statement("break;");
                break;
            case 4:
                w.Statement("status = WdfRequestForwardToIoQueue(Request, ctx.ManualQueue);");
                w.Open("if (NT_SUCCESS(status))");
                w.Statement("return;");
                w.Close();
                w.Line();
                w.Statement("break;");
                break;
            case 5:
                w.Statement("status = WdfRequestRetrieveInputMemory(Request, out WDFMEMORY inputMemory);");
                BreakOnFailure(w);
                w.Statement(buggy
                    ? "PVOID scratch = ExAllocatePoolWithTag(NonPagedPoolNx, 32, PoolTag);"
                    : "PVOID scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, PoolTag);");
                w.Open("if (scratch == NULL)");
                w.Statement("status = STATUS_INSUFFICIENT_RESOURCES;");
                w.Statement("break;");
                w.Close();
                w.Line();
                w.Statement("status = WdfMemoryCopyToBuffer(inputMemory, 0, scratch, 32);");
                w.Open("if (NT_SUCCESS(status))");
                w.Statement("ctx.Counter += scratch.Read<uint>(0);");
                w.Close();
                w.Line();
                w.Statement("ExFreePoolWithTag(scratch, PoolTag);");
                w.Statement("break;");
                break;
            case 6:
                w.Statement("HandleReset(Request, ctx, InputBufferLength);");
                if (buggy)
                {
                    // DRV003: the helper completed the request.
                    w.Statement("ctx.LastInformation = WdfRequestGetInformation(Request);");
                }

                w.Statement("return;");
                break;
            default:
                w.Statement("status = WdfRequestRetrieveOutputWdmMdl(Request, out PMDL mdl);");
                BreakOnFailure(w);
                w.Statement(buggy
                    ? "PVOID mapped = MmGetSystemAddressForMdl(mdl);"
                    : "PVOID mapped = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);");
                w.Open("if (mapped == NULL)");
                w.Statement("status = STATUS_INSUFFICIENT_RESOURCES;");
                w.Statement("break;");
                w.Close();
                w.Line();
                w.Statement("nuint count = MmGetMdlByteCount(mdl);");
                w.Statement($"RtlFillMemory(mapped, count, 0x{k % 256:X2});");
                w.Statement("information = count;");
                w.Statement("break;");
                break;
        }

        w.Close();
    }

    private static void BreakOnFailure(SourceWriter w)
    {
        w.Open("if (!NT_SUCCESS(status))");
        w.Statement("break;");
        w.Close();
        w.Line();
    }
}
