using System;
using System.Collections.Generic;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Handles;

/// <summary>
/// Every DDI given null handles: with the verifier on a DRV022 violation, with it off a failure status or
/// nothing, and never a .NET NullReferenceException/IndexOutOfRangeException.
/// </summary>
public class NullHandleTests
{
    public static IEnumerable<object[]> Calls()
    {
        var calls = new (string Name, Action Call)[]
        {
            ("WdfMemoryGetBuffer", () => WdfMemoryGetBuffer(WDF_NO_HANDLE, out _)),
            ("WdfMemoryCopyFromBuffer", () => WdfMemoryCopyFromBuffer(NULL, 0, NULL, 1)),
            ("WdfMemoryCopyToBuffer", () => WdfMemoryCopyToBuffer(NULL, 0, NULL, 1)),
            ("WdfMemoryAssignBuffer", () => WdfMemoryAssignBuffer(NULL, NULL, 1)),
            ("WdfMemoryCreateFromLookaside", () => WdfMemoryCreateFromLookaside(NULL, out _)),
            ("WdfObjectDelete", () => WdfObjectDelete(NULL)),
            ("WdfObjectReference", () => WdfObjectReference(NULL)),
            ("WdfObjectDereference", () => WdfObjectDereference(NULL)),
            ("WdfRequestRetrieveInputMemory", () => WdfRequestRetrieveInputMemory(NULL, out _)),
            ("WdfRequestRetrieveOutputMemory", () => WdfRequestRetrieveOutputMemory(NULL, out _)),
            ("WdfRequestRetrieveInputBuffer", () => WdfRequestRetrieveInputBuffer(NULL, 0, out _, out _)),
            ("WdfRequestRetrieveOutputBuffer", () => WdfRequestRetrieveOutputBuffer(NULL, 0, out _, NULL)),
            ("WdfRequestRetrieveInputWdmMdl", () => WdfRequestRetrieveInputWdmMdl(NULL, out _)),
            ("WdfRequestRetrieveOutputWdmMdl", () => WdfRequestRetrieveOutputWdmMdl(NULL, out _)),
            ("WdfRequestRetrieveUnsafeUserInputBuffer", () => WdfRequestRetrieveUnsafeUserInputBuffer(NULL, 0, out _, NULL)),
            ("WdfRequestRetrieveUnsafeUserOutputBuffer", () => WdfRequestRetrieveUnsafeUserOutputBuffer(NULL, 0, out _, out _)),
            ("WdfRequestProbeAndLockUserBufferForRead", () => WdfRequestProbeAndLockUserBufferForRead(NULL, NULL, 1, out _)),
            ("WdfRequestProbeAndLockUserBufferForWrite", () => WdfRequestProbeAndLockUserBufferForWrite(NULL, NULL, 1, out _)),
            ("WdfRequestComplete", () => WdfRequestComplete(NULL, STATUS_SUCCESS)),
            ("WdfRequestCompleteWithInformation", () => WdfRequestCompleteWithInformation(NULL, STATUS_SUCCESS, 1)),
            ("WdfRequestCompleteWithPriorityBoost", () => WdfRequestCompleteWithPriorityBoost(NULL, STATUS_SUCCESS, IO_NO_INCREMENT)),
            ("WdfRequestReuse", () => { WDF_REQUEST_REUSE_PARAMS_INIT(out var p, 0, STATUS_SUCCESS); WdfRequestReuse(NULL, p); }),
            ("WdfRequestSetCompletionRoutine", () => WdfRequestSetCompletionRoutine(NULL, null, WDF_NO_CONTEXT)),
            ("WdfRequestSend", () => WdfRequestSend(NULL, NULL, WDF_NO_SEND_OPTIONS)),
            ("WdfRequestGetStatus", () => WdfRequestGetStatus(NULL)),
            ("WdfRequestGetIoQueue", () => WdfRequestGetIoQueue(NULL)),
            ("WdfRequestForwardToIoQueue", () => WdfRequestForwardToIoQueue(NULL, NULL)),
            ("WdfRequestGetInformation", () => WdfRequestGetInformation(NULL)),
            ("WdfRequestSetInformation", () => WdfRequestSetInformation(NULL, 1)),
            ("WdfRequestGetParameters", () => { WDF_REQUEST_PARAMETERS_INIT(out var p); WdfRequestGetParameters(NULL, p); }),
            ("WdfRequestGetCompletionParams", () => { WDF_REQUEST_COMPLETION_PARAMS_INIT(out var p); WdfRequestGetCompletionParams(NULL, p); }),
            ("WdfDeviceGetIoTarget", () => WdfDeviceGetIoTarget(NULL)),
            ("WdfIoQueueGetDevice", () => WdfIoQueueGetDevice(NULL)),
            ("WdfDeviceEnqueueRequest", () => WdfDeviceEnqueueRequest(NULL, NULL)),
            ("WdfIoQueueRetrieveNextRequest", () => WdfIoQueueRetrieveNextRequest(NULL, out _)),
            ("WdfIoTargetFormatRequestForRead", () => WdfIoTargetFormatRequestForRead(NULL, NULL, NULL, NULL, NULL)),
            ("WdfIoTargetFormatRequestForWrite", () => WdfIoTargetFormatRequestForWrite(NULL, NULL, NULL, NULL, NULL)),
            ("WdfIoTargetFormatRequestForIoctl", () => WdfIoTargetFormatRequestForIoctl(NULL, NULL, 0, NULL, NULL, NULL, NULL)),
            ("WdfIoTargetSendReadSynchronously", () => WdfIoTargetSendReadSynchronously(NULL, NULL, NULL, NULL, NULL, out _)),
            ("WdfIoTargetSendWriteSynchronously", () => WdfIoTargetSendWriteSynchronously(NULL, NULL, NULL, NULL, NULL, NULL)),
            ("WdfIoTargetSendIoctlSynchronously", () => WdfIoTargetSendIoctlSynchronously(NULL, NULL, 0, NULL, NULL, NULL, out _)),
            ("IoFreeMdl", () => IoFreeMdl(NULL)),
            ("MmGetMdlByteCount", () => MmGetMdlByteCount(NULL)),
            ("MmGetMdlByteOffset", () => MmGetMdlByteOffset(NULL)),
            ("MmGetMdlVirtualAddress", () => MmGetMdlVirtualAddress(NULL)),
            ("MmGetSystemAddressForMdl", () => MmGetSystemAddressForMdl(NULL)),
            ("MmGetSystemAddressForMdlSafe", () => MmGetSystemAddressForMdlSafe(NULL, NormalPagePriority)),
            ("MmBuildMdlForNonPagedPool", () => MmBuildMdlForNonPagedPool(NULL)),
            ("MmInitializeMdl", () => MmInitializeMdl(NULL, NULL, 1)),
            ("MmPrepareMdlForReuse", () => MmPrepareMdlForReuse(NULL)),
            ("MmProbeAndLockPages", () => MmProbeAndLockPages(NULL, KernelMode, IoReadAccess)),
            ("MmUnlockPages", () => MmUnlockPages(NULL)),
            ("IoBuildPartialMdl", () => IoBuildPartialMdl(NULL, NULL, NULL, 1)),
        };
        foreach (var (name, call) in calls)
        {
            yield return new object[] { name, call };
        }
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void With_the_verifier_on_a_null_handle_is_DRV022(string ddi, Action call)
    {
        using var host = new DriverHost();
        var violation = Assert.Throws<WdfViolationException>(() => host.Run(call));
        Assert.Equal("DRV022", violation.Rule);
        Assert.Equal(ddi, violation.Ddi);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void With_the_verifier_off_a_null_handle_fails_quietly(string ddi, Action call)
    {
        using var host = new DriverHost(verifierEnabled: false);
        host.Run(call);
        Assert.Contains(host.Violations, v => v.Rule == "DRV022" && v.Ddi == ddi);
    }

    [Fact]
    public void Optional_null_handles_are_accepted()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE, out var request));
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetFormatRequestForRead(host.LowerTarget.Handle, request, NULL, NULL, NULL));
            Assert.Equal(STATUS_SUCCESS, WdfIoTargetSendWriteSynchronously(host.LowerTarget.Handle, NULL, NULL, NULL, NULL, NULL));
            WdfObjectDelete(request);
        });
        Assert.Empty(host.Violations);
    }
}
