using System;

namespace DriverBuffers;

/// <summary>Request buffers, completion, creation, reuse and sending.</summary>
public static partial class Wdf
{
    public static NTSTATUS WdfRequestRetrieveInputMemory(WDFREQUEST Request, out WDFMEMORY Memory) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveOutputMemory(WDFREQUEST Request, out WDFMEMORY Memory) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID Buffer, out nuint Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID Buffer, PVOID Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredSize,
        out PVOID Buffer, out nuint Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredSize,
        out PVOID Buffer, PVOID Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveInputWdmMdl(WDFREQUEST Request, out PMDL Mdl) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveOutputWdmMdl(WDFREQUEST Request, out PMDL Mdl) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveUnsafeUserInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID InputBuffer, out nuint Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveUnsafeUserInputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID InputBuffer, PVOID Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveUnsafeUserOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID OutputBuffer, out nuint Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestRetrieveUnsafeUserOutputBuffer(WDFREQUEST Request, nuint MinimumRequiredLength,
        out PVOID OutputBuffer, PVOID Length) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestProbeAndLockUserBufferForRead(WDFREQUEST Request, PVOID Buffer, nuint Length,
        out WDFMEMORY MemoryObject) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestProbeAndLockUserBufferForWrite(WDFREQUEST Request, PVOID Buffer, nuint Length,
        out WDFMEMORY MemoryObject) => throw new NotImplementedException();

    public static void WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status) => throw new NotImplementedException();

    public static void WdfRequestCompleteWithInformation(WDFREQUEST Request, NTSTATUS Status, nuint Information) =>
        throw new NotImplementedException();

    public static void WdfRequestCompleteWithPriorityBoost(WDFREQUEST Request, NTSTATUS Status, sbyte PriorityBoost) =>
        throw new NotImplementedException();

    public static NTSTATUS WdfRequestCreate(WDF_OBJECT_ATTRIBUTES? RequestAttributes, WDFIOTARGET IoTarget,
        out WDFREQUEST Request) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestReuse(WDFREQUEST Request, WDF_REQUEST_REUSE_PARAMS ReuseParams) => throw new NotImplementedException();

    public static void WdfRequestSetCompletionRoutine(WDFREQUEST Request, EVT_WDF_REQUEST_COMPLETION_ROUTINE? CompletionRoutine,
        object? CompletionContext) => throw new NotImplementedException();

    public static bool WdfRequestSend(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_SEND_OPTIONS? Options) =>
        throw new NotImplementedException();

    public static NTSTATUS WdfRequestGetStatus(WDFREQUEST Request) => throw new NotImplementedException();

    public static WDFQUEUE WdfRequestGetIoQueue(WDFREQUEST Request) => throw new NotImplementedException();

    public static NTSTATUS WdfRequestForwardToIoQueue(WDFREQUEST Request, WDFQUEUE DestinationQueue) => throw new NotImplementedException();

    public static nuint WdfRequestGetInformation(WDFREQUEST Request) => throw new NotImplementedException();

    public static void WdfRequestSetInformation(WDFREQUEST Request, nuint Information) => throw new NotImplementedException();

    public static void WdfRequestGetCompletionParams(WDFREQUEST Request, WDF_REQUEST_COMPLETION_PARAMS Params) =>
        throw new NotImplementedException();

    public static void WdfRequestGetParameters(WDFREQUEST Request, WDF_REQUEST_PARAMETERS Parameters) =>
        throw new NotImplementedException();
}
