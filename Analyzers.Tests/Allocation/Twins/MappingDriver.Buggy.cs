using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins.Buggy;

/// <summary>
/// Run-time twin of DRV032: a direct-I/O read handler maps the request's MDL and writes a 4-byte answer
/// through the mapping. <c>Twins.Buggy</c> maps with the obsolete call and no check; <c>Twins.Fixed</c> is the
/// same file after the DRV032 code fix (the NULL check in the queue callback's convention).
/// </summary>
public static class MappingDriver
{
    public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status = WdfRequestRetrieveOutputWdmMdl(Request, out PMDL mdl);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        PVOID buffer = MmGetSystemAddressForMdl(mdl);
        buffer.Write<uint>(0, 0x600DF00D);
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, sizeof(uint));
    }
}
