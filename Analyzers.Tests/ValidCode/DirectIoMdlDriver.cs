// Direct I/O (reference 001): the MDL describes the locked user pages; the length comes from the MDL.
namespace ValidCode.DirectIo;

public sealed class DirectIoMdlDriver
{
    private readonly byte[] _deviceData = new byte[256];

    public void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputWdmMdl(Request, out PMDL mdl);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        uint byteCount = MmGetMdlByteCount(mdl);
        PVOID address = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
        if (address == NULL)
        {
            WdfRequestComplete(Request, STATUS_INSUFFICIENT_RESOURCES);
            return;
        }

        uint count = byteCount < (uint)_deviceData.Length ? byteCount : (uint)_deviceData.Length;
        address.CopyFrom(_deviceData.AsSpan(0, (int)count), 0);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, count);
    }
}
