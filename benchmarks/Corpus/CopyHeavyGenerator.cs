using System.Collections.Generic;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Copy-heavy control code with many sizes: each method parses a header from the input buffer (several lengths
/// read from it, each checked against the input's size), stages fields in pool and in the device's buffers with
/// <c>RtlCopyMemory</c>/<c>RtlMoveMemory</c>, fills the output memory object with <c>WdfMemoryCopyFromBuffer</c>/
/// <c>WdfMemoryCopyToBuffer</c> (statuses tested) and <c>Read</c>/<c>Write</c>/<c>CopyFrom</c>/<c>CopyTo</c>
/// accessors. Every fifth method is a WDM dispatch routine instead: buffered and direct I/O through the IRP, and
/// a neither-I/O user address probed in a <c>try</c>. One method in 16 copies a length from the input without
/// a bound (DRV020) or drops a copy's status (DRV021). Size: methods (about 70 lines each).
/// </summary>
public sealed class CopyHeavyGenerator : IShapeGenerator
{
    public const int SizesPerMethod = 8;

    private const int MethodsPerFile = 10;

    public string SizeUnit => "methods";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        return SourceFile.InFiles(size, MethodsPerFile, (file, first, end) =>
        {
            var w = SourceWriter.DriverFile(nameSpace);
            w.Open($"public static class Records{file}");
            w.Line("public const uint PoolTag = 0x79706F43;");
            w.Line("public const nuint HeaderSize = 64;");
            w.Line("public const nuint StagingSize = 256;");
            w.Line("public static readonly PVOID Staging = ExAllocatePool2(POOL_FLAG_NON_PAGED, StagingSize, PoolTag);");
            w.Line("public static readonly PVOID Archive = ExAllocatePool2(POOL_FLAG_NON_PAGED, StagingSize, PoolTag);");
            for (var m = first; m < end; m++)
            {
                w.Line();
                if (m % 5 == 4)
                {
                    WriteDispatch(w, m);
                }
                else
                {
                    WriteControl(w, m, buggy: m % 16 == 15);
                }
            }

            w.Close();
            return SourceFile.From($"{nameSpace}/Records{file}.cs", w);
        });
    }

    private static void WriteControl(SourceWriter w, int m, bool buggy)
    {
        w.Open($"public static void EvtIoDeviceControl{m}(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)");
        w.Statement("NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, HeaderSize, out PVOID input, out nuint inputLength);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY outputMemory);");
        w.Statement("if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }");
        w.Statement("PVOID output = WdfMemoryGetBuffer(outputMemory, out nuint outputSize);");
        w.Statement("PVOID local = ExAllocatePool2(POOL_FLAG_NON_PAGED, HeaderSize, PoolTag);");
        w.Statement("if (local == NULL) { WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES); return; }");
        w.Statement("nuint written = 0;");
        for (var s = 0; s < SizesPerMethod; s++)
        {
            var field = $"length{s}";
            w.Statement($"nuint {field} = input.Read<ushort>({2 * s});");
            switch ((s + m) % 4)
            {
                case 0:
                    if (buggy && s == 0)
                    {
                        w.Statement($"RtlCopyMemory(Staging, input, {field});");
                    }
                    else
                    {
                        w.Statement($"if ({field} > inputLength || {field} > StagingSize) {{ {field} = inputLength < StagingSize ? inputLength : StagingSize; }}");
                        w.Statement($"RtlCopyMemory(Staging, input, {field});");
                    }

                    w.Statement($"RtlMoveMemory(Archive, Staging, {field});");
                    break;
                case 1:
                    w.Statement($"if ({field} > HeaderSize) {{ {field} = HeaderSize; }}");
                    w.Statement($"RtlCopyMemory(local, input, {field});");
                    w.Open($"if (written + {field} <= outputSize)");
                    if (buggy)
                    {
                        w.Statement($"WdfMemoryCopyFromBuffer(outputMemory, written, local, {field});");
                    }
                    else
                    {
                        w.Statement($"status = WdfMemoryCopyFromBuffer(outputMemory, written, local, {field});");
                        w.Statement("if (!NT_SUCCESS(status)) { goto Exit; }");
                    }

                    w.Statement($"written += {field};");
                    w.Close();
                    break;
                case 2:
                    w.Open($"if ({field} >= sizeof(uint) && written + sizeof(uint) <= outputSize)");
                    w.Statement($"output.Write<uint>(written, Staging.Read<uint>(0) + {s}u);");
                    w.Statement("written += sizeof(uint);");
                    w.Close();
                    w.Statement($"Span<byte> field{s} = stackalloc byte[8];");
                    w.Statement($"input.CopyTo(field{s}, {8 * (s % 7)});");
                    w.Statement($"if (written + 8 <= outputSize) {{ output.CopyFrom(field{s}, written); written += 8; }}");
                    break;
                default:
                    w.Statement($"if ({field} > HeaderSize) {{ {field} = HeaderSize; }}");
                    w.Statement($"status = WdfMemoryCopyToBuffer(outputMemory, 0, local, {field} <= outputSize ? {field} : outputSize);");
                    w.Statement("if (!NT_SUCCESS(status)) { goto Exit; }");
                    w.Statement($"RtlZeroMemory(local, {field});");
                    break;
            }
        }

        w.Statement("status = STATUS_SUCCESS;");
        w.Line("Exit:");
        w.Statement("ExFreePoolWithTag(local, PoolTag);");
        w.Statement("WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? written : 0);");
        w.Close();
    }

    private static void WriteDispatch(SourceWriter w, int m)
    {
        w.Open($"public static NTSTATUS DispatchReadWrite{m}(DEVICE_OBJECT DeviceObject, IRP Irp)");
        w.Statement("NTSTATUS status = STATUS_SUCCESS;");
        w.Statement("nuint information = 0;");
        w.Open("if ((DeviceObject.Flags & DO_DIRECT_IO) != 0)");
        w.Statement("PVOID pages = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);");
        w.Statement("if (pages == NULL) { status = STATUS_INSUFFICIENT_RESOURCES; goto Complete; }");
        w.Statement("nuint length = MmGetMdlByteCount(Irp.MdlAddress);");
        w.Statement("nuint copy = length < StagingSize ? length : StagingSize;");
        w.Statement("RtlCopyMemory(pages, Staging, copy);");
        w.Statement("information = copy;");
        w.Close();
        w.Open("else if ((DeviceObject.Flags & DO_BUFFERED_IO) != 0)");
        w.Statement("uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;");
        w.Statement("nuint copy = length < StagingSize ? length : StagingSize;");
        w.Statement("RtlCopyMemory(Irp.AssociatedIrp.SystemBuffer, Staging, copy);");
        w.Statement("information = copy;");
        w.Close();
        w.Open("else");
        w.Statement("uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;");
        w.Statement("nuint copy = length < StagingSize ? length : StagingSize;");
        w.Open("try");
        w.Statement("ProbeForWrite(Irp.UserBuffer, copy, 1);");
        w.Statement("RtlCopyMemory(Irp.UserBuffer, Staging, copy);");
        w.Statement("information = copy;");
        w.Close();
        w.Open("catch (NtStatusException e)");
        w.Statement("status = e.Status;");
        w.Close();
        w.Close();
        w.Line();
        w.Line("Complete:");
        w.Statement("Irp.IoStatus.Status = status;");
        w.Statement("Irp.IoStatus.Information = information;");
        w.Statement("IoCompleteRequest(Irp, IO_NO_INCREMENT);");
        w.Statement("return status;");
        w.Close();
    }
}
