using System.Threading.Tasks;
using DriverBuffers.Analyzers.IoModes;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>
/// Correct driver code in the three buffering modes (reference 001) and with preallocated memory (reference 000,
/// scenario 4): none of the I/O-mode analyzers may say anything about it.
/// </summary>
public class CorrectDriverCorpusTests
{
    private const string Corpus = """
        using System.Collections.Generic;

        static class BufferedDriver
        {
            public static void AddDevice(DEVICE_OBJECT fdo)
            {
                fdo.Flags |= DO_BUFFERED_IO;
                fdo.Flags &= ~DO_DEVICE_INITIALIZING;
            }

            public static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = stack.Parameters.Read.Length;
                PVOID buffer = Irp.AssociatedIrp.SystemBuffer;
                RtlZeroMemory(buffer, length);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }

        static class DirectDriver
        {
            public static void AddDevice(DEVICE_OBJECT fdo)
            {
                fdo.Flags |= DO_DIRECT_IO;
                fdo.Flags &= ~DO_DEVICE_INITIALIZING;
            }

            public static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                if (stack.Parameters.Read.Length == 0 || Irp.MdlAddress == default)
                {
                    return Complete(Irp, STATUS_SUCCESS, 0);
                }

                uint length = MmGetMdlByteCount(Irp.MdlAddress);
                PVOID buffer = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority | MdlMappingNoExecute);
                if (buffer == NULL)
                {
                    return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
                }

                for (uint i = 0; i < length; i++)
                {
                    (buffer + i).Write<byte>(0, (byte)i);
                }

                return Complete(Irp, STATUS_SUCCESS, length);
            }

            static NTSTATUS Complete(IRP Irp, NTSTATUS status, nuint information)
            {
                Irp.IoStatus.Status = status;
                Irp.IoStatus.Information = information;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        }

        static class NeitherDriver
        {
            public static void AddDevice(DEVICE_OBJECT fdo)
            {
                fdo.Flags |= 0; // neither direct nor buffered
                fdo.Flags &= ~DO_DEVICE_INITIALIZING;
            }

            public static NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var stack = IoGetCurrentIrpStackLocation(Irp);
                uint length = stack.Parameters.Write.Length;
                var copy = new byte[length];
                NTSTATUS status = STATUS_SUCCESS;
                try
                {
                    ProbeForRead(Irp.UserBuffer, length, 1);
                    Irp.UserBuffer.CopyTo(copy, 0);
                }
                catch (NtStatusException e)
                {
                    status = e.Status;
                    length = 0;
                }
                finally
                {
                    Irp.IoStatus.Status = status;
                }

                Irp.IoStatus.Information = length;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }

            public static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Read.Length;
                PVOID kernel = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, 0x64657246);
                if (kernel == NULL)
                {
                    Irp.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                RtlFillMemory(kernel, length, 0x5A);
                NTSTATUS status = STATUS_SUCCESS;
                PVOID user = Irp.UserBuffer;
                try
                {
                    ProbeForWrite(user, length, 1);
                    RtlCopyMemory(user, kernel, length);
                }
                catch (NtStatusException e) when (!NT_SUCCESS(e.Status))
                {
                    status = e.Status;
                }

                ExFreePoolWithTag(kernel, 0x64657246);
                Irp.IoStatus.Status = status;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return status;
            }
        }

        static class KmdfDriver
        {
            public static void EvtIoInCallerContext(WDFDEVICE Device, WDFREQUEST Request)
            {
                NTSTATUS status = WdfRequestRetrieveUnsafeUserInputBuffer(Request, 4, out PVOID input, out nuint length);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                status = WdfRequestProbeAndLockUserBufferForRead(Request, input, length, out WDFMEMORY locked);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                PVOID safe = WdfMemoryGetBuffer(locked, out nuint size);
                uint command = safe.Read<uint>(0);
                WdfDeviceEnqueueRequest(Device, Request);
            }

            public static NTSTATUS ReadSynchronously(WDFIOTARGET target, PVOID buffer, nuint size)
            {
                NTSTATUS status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, size, out WDFMEMORY memory);
                if (!NT_SUCCESS(status)) { return status; }
                status = WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, target, out WDFREQUEST request);
                if (!NT_SUCCESS(status)) { WdfObjectDelete(memory); return status; }
                status = WdfIoTargetFormatRequestForRead(target, request, memory, NULL, NULL);
                if (NT_SUCCESS(status))
                {
                    WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS options, WDF_REQUEST_SEND_OPTION_SYNCHRONOUS);
                    WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(options, WDF_REL_TIMEOUT_IN_SEC(1));
                    status = WdfRequestSend(request, target, options) ? WdfRequestGetStatus(request) : WdfRequestGetStatus(request);
                }

                WdfObjectDelete(request);
                WdfObjectDelete(memory);
                ExFreePool(buffer);
                return status;
            }

            public static void WriteAsynchronously(WDFIOTARGET target, WDFLOOKASIDE lookaside, WDFREQUEST request)
            {
                if (!NT_SUCCESS(WdfMemoryCreateFromLookaside(lookaside, out WDFMEMORY memory))) { return; }
                WdfIoTargetFormatRequestForWrite(target, request, memory, NULL, NULL);
                WdfRequestSetCompletionRoutine(request, (r, t, p, c) => { WdfObjectDelete((WDFMEMORY)c!); WdfObjectDelete(r); }, memory);
                if (!WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS))
                {
                    WdfObjectDelete(memory);
                    WdfObjectDelete(request);
                }
            }

            public static NTSTATUS Walk(IReadOnlyList<PVOID> chunks)
            {
                NTSTATUS status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, chunks[0], 16, out WDFMEMORY window);
                if (!NT_SUCCESS(status)) { return status; }
                foreach (var chunk in chunks)
                {
                    status = WdfMemoryAssignBuffer(window, chunk, 16);
                    if (!NT_SUCCESS(status)) { break; }
                }

                WdfObjectDelete(window);
                return status;
            }
        }
        """;

    [Fact]
    public Task MemoryOwnershipIsSilent() =>
        Verifiers.CSharpAnalyzerVerifier<MemoryOwnershipAnalyzer>.VerifyAnalyzerAsync(Corpus);

    [Fact]
    public Task UnprobedUserAddressIsSilent() =>
        Verifiers.CSharpAnalyzerVerifier<UnprobedUserAddressAnalyzer>.VerifyAnalyzerAsync(Corpus);

    [Fact]
    public Task DirectIoLengthIsSilent() =>
        Verifiers.CSharpAnalyzerVerifier<DirectIoLengthAnalyzer>.VerifyAnalyzerAsync(Corpus);

    [Fact]
    public Task BufferingModeIsSilent() =>
        Verifiers.CSharpAnalyzerVerifier<BufferingModeAnalyzer>.VerifyAnalyzerAsync(Corpus);
}
