using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Helper chains <see cref="Depth"/> deep, as layered drivers have (dispatch, validate, parse, transfer, finish):
/// a queue callback hands its request and buffer down a chain whose last helper completes the request; a pool
/// block allocated at the top is freed at the bottom with its tag; a driver-created request is reused at the
/// bottom and formatted again at the top. A chain in 8 has a bug at its top (DRV001 buffer used after the chain
/// completed the request, DRV034 freed with the wrong tag, DRV011 formatted again without reuse). Size: chains.
/// </summary>
public sealed class HelperChainGenerator : IShapeGenerator
{
    public const int Depth = 10;

    private const int ChainsPerFile = 10;

    public string SizeUnit => "chains";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        return SourceFile.InFiles(size, ChainsPerFile, (file, first, end) =>
        {
            var w = SourceWriter.DriverFile(nameSpace);
            for (var c = first; c < end; c++)
            {
                WriteChain(w, c);
            }

            return SourceFile.From($"{nameSpace}/Chains{file}.cs", w);
        });
    }

    private static void WriteChain(SourceWriter w, int c)
    {
        var buggy = c % 8 == 7;
        w.Open($"public static class Chain{c}");
        w.Line($"public const uint PoolTag = 0x{0x6E684300 + (c % 200):X8};");
        w.Line("public const uint WrongTag = 0x676E7257;");
        w.Line("private static uint LastByte;");
        w.Line();
        switch (c % 3)
        {
            case 0:
                WriteCompletionChain(w, buggy);
                break;
            case 1:
                WritePoolChain(w, buggy);
                break;
            default:
                WriteReuseChain(w, buggy);
                break;
        }

        w.Close();
        w.Line();
    }

    private static void WriteCompletionChain(SourceWriter w, bool buggy)
    {
        w.Open("public static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)");
        w.Statement("NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out PVOID input, out nuint inputLength);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("Step1(Request, input, inputLength, 0);");
        if (buggy)
        {
            w.Statement("LastByte = input.Read<byte>(0);");
        }

        w.Close();
        for (var d = 1; d <= Depth; d++)
        {
            w.Line();
            w.Open($"private static void Step{d}(WDFREQUEST request, PVOID buffer, nuint length, uint checksum)");
            if (d < Depth)
            {
                w.Statement($"if (length > {d}) {{ checksum += buffer.Read<byte>({d}); }}");
                w.Statement($"Step{d + 1}(request, buffer, length, checksum);");
            }
            else
            {
                w.Statement("LastByte = (byte)checksum;");
                w.Statement("WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, length);");
            }

            w.Close();
        }
    }

    private static void WritePoolChain(SourceWriter w, bool buggy)
    {
        w.Open("public static NTSTATUS Transform(nuint size)");
        w.Statement("PVOID block = ExAllocatePool2(POOL_FLAG_NON_PAGED, size, PoolTag);");
        w.Statement("if (block == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }");
        w.Statement("RtlZeroMemory(block, size);");
        w.Statement(buggy ? "Step1(block, size, WrongTag);" : "Step1(block, size, PoolTag);");
        w.Statement("return STATUS_SUCCESS;");
        w.Close();
        for (var d = 1; d <= Depth; d++)
        {
            w.Line();
            w.Open($"private static void Step{d}(PVOID block, nuint size, uint tag)");
            if (d < Depth)
            {
                w.Statement($"if (size > {d}) {{ block.Write<byte>({d}, {d}); }}");
                w.Statement($"Step{d + 1}(block, size, tag);");
            }
            else
            {
                w.Statement("ExFreePoolWithTag(block, tag);");
            }

            w.Close();
        }
    }

    private static void WriteReuseChain(SourceWriter w, bool buggy)
    {
        w.Open("public static NTSTATUS ReadTwice(WDFIOTARGET target, WDFREQUEST request, WDFMEMORY memory)");
        w.Statement("WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);");
        w.Statement("NTSTATUS status = WdfIoTargetFormatRequestForRead(target, request, memory, null, null);");
        w.Statement("if (!NT_SUCCESS(status)) { return status; }");
        w.Statement("WdfRequestSend(request, target, options);");
        w.Statement(buggy ? "Step1(request, false);" : "Step1(request, true);");
        w.Statement("status = WdfIoTargetFormatRequestForRead(target, request, memory, null, null);");
        w.Statement("if (!NT_SUCCESS(status)) { return status; }");
        w.Statement("WdfRequestSend(request, target, options);");
        w.Statement("return WdfRequestGetStatus(request);");
        w.Close();
        for (var d = 1; d <= Depth; d++)
        {
            w.Line();
            w.Open($"private static void Step{d}(WDFREQUEST request, bool reuse)");
            if (d < Depth)
            {
                w.Statement($"Step{d + 1}(request, reuse);");
            }
            else
            {
                w.Statement("if (!reuse) { return; }");
                w.Statement("WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS parameters, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);");
                w.Statement("WdfRequestReuse(request, parameters);");
            }

            w.Close();
        }
    }
}
