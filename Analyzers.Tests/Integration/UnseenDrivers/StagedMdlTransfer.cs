// A direct-I/O KMDF driver that walks the request's MDL in fixed-size stages through a
// partial MDL (the kmdf_fx2 bulk-transfer splitting pattern), and sends vendor commands
// from a non-paged bounce buffer described by an MDL built for non-paged pool.
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public sealed class StagedTransferDevice
{
    public const uint StageTag = 0x67617453; // 'Stag'
    public const uint STAGE_SIZE = 64;

    public WDFIOTARGET Target;

    public void StagedEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        PMDL requestMdl;
        PMDL partialMdl = NULL;
        PVOID virtualAddress, systemAddress;
        uint totalLength = 0, offset, stageLength;

        status = WdfRequestRetrieveOutputWdmMdl(Request, out requestMdl);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }

        totalLength = MmGetMdlByteCount(requestMdl);
        virtualAddress = MmGetMdlVirtualAddress(requestMdl);

        partialMdl = IoAllocateMdl(virtualAddress, totalLength, FALSE, FALSE, null);
        if (partialMdl == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto Exit;
        }

        for (offset = 0; offset < totalLength; offset += stageLength)
        {
            stageLength = totalLength - offset < STAGE_SIZE ? totalLength - offset : STAGE_SIZE;

            MmPrepareMdlForReuse(partialMdl);
            IoBuildPartialMdl(requestMdl, partialMdl, virtualAddress + offset, stageLength);

            systemAddress = MmGetSystemAddressForMdlSafe(partialMdl, NormalPagePriority | MdlMappingNoExecute);
            if (systemAddress == NULL)
            {
                status = STATUS_INSUFFICIENT_RESOURCES;
                goto Exit;
            }

            RtlFillMemory(systemAddress, stageLength, (byte)(1 + offset / STAGE_SIZE));
        }

    Exit:
        if (partialMdl != NULL)
        {
            IoFreeMdl(partialMdl);
        }

        WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? totalLength : 0);
    }

    public NTSTATUS StagedSendVendorCommand(uint Command)
    {
        NTSTATUS status;
        PVOID bounce;
        PMDL mdl;
        WDF_MEMORY_DESCRIPTOR descriptor;
        nuint bytesWritten;

        bounce = ExAllocatePool2(POOL_FLAG_NON_PAGED, STAGE_SIZE, StageTag);
        if (bounce == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        mdl = IoAllocateMdl(bounce, STAGE_SIZE, FALSE, FALSE, null);
        if (mdl == NULL)
        {
            ExFreePoolWithTag(bounce, StageTag);
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        MmBuildMdlForNonPagedPool(mdl);
        bounce.Write<uint>(0, Command);

        WDF_MEMORY_DESCRIPTOR_INIT_MDL(out descriptor, mdl, STAGE_SIZE);
        status = WdfIoTargetSendWriteSynchronously(Target, WDF_NO_HANDLE, descriptor, null, null, out bytesWritten);

        IoFreeMdl(mdl);
        ExFreePoolWithTag(bounce, StageTag);
        return status;
    }
}

public sealed class StagedTransferDeviceBuggy
{
    public const uint StageTag = 0x67617453; // 'Stag'
    public const uint OldTag = 0x67617454; // 'Tgat': a different tag
    public const uint STAGE_SIZE = 64;

    public WDFIOTARGET Target;

    public void StagedEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        PMDL requestMdl;
        PVOID systemAddress;
        PVOID staging;
        uint totalLength = 0;

        status = WdfRequestRetrieveOutputWdmMdl(Request, out requestMdl);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        totalLength = MmGetMdlByteCount(requestMdl);
        systemAddress = MmGetSystemAddressForMdlSafe(requestMdl, NormalPagePriority); // BUG DRV031
        if (systemAddress == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        staging = ExAllocatePoolWithTag(PagedPool, STAGE_SIZE, StageTag); // BUG DRV030
        if (staging == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        RtlFillMemory(staging, STAGE_SIZE, 0x5A);
        RtlCopyMemory(systemAddress, staging, totalLength); // BUG DRV020
        ExFreePoolWithTag(staging, StageTag);

        WdfRequestCompleteWithInformation(Request, status, totalLength);
    }

    public NTSTATUS StagedSendVendorCommand(uint Command)
    {
        NTSTATUS status;
        PVOID bounce;
        PMDL mdl;
        WDF_MEMORY_DESCRIPTOR descriptor;
        nuint bytesWritten;

        bounce = ExAllocatePoolWithTag(NonPagedPool, STAGE_SIZE, StageTag); // BUG DRV030 DRV031 (deprecated, and executable pool: two findings, as PREfast's C28751 and C30030; DRV030's fix resolves both)
        if (bounce == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        mdl = IoAllocateMdl(bounce, STAGE_SIZE, FALSE, FALSE, null);
        if (mdl == NULL)
        {
            ExFreePoolWithTag(bounce, StageTag);
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        MmBuildMdlForNonPagedPool(mdl);
        bounce.Write<uint>(0, Command);

        WDF_MEMORY_DESCRIPTOR_INIT_MDL(out descriptor, mdl, STAGE_SIZE);
        status = WdfIoTargetSendWriteSynchronously(Target, WDF_NO_HANDLE, descriptor, null, null, out bytesWritten);

        IoFreeMdl(mdl);
        ExFreePoolWithTag(bounce, OldTag); // BUG DRV034
        return status;
    }
}
