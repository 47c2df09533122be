namespace DriverBuffers.Requests;

/// <summary>What a request was formatted to do at its I/O target.</summary>
internal sealed record TargetFormat(
    WDF_REQUEST_TYPE Type,
    TransferRegion? Input,
    TransferRegion? Output,
    uint IoControlCode,
    long DeviceOffset)
{
    /// <summary>The transfer length a read or write asks for.</summary>
    public nuint Length => Type == WDF_REQUEST_TYPE.WdfRequestTypeWrite ? Input?.Length ?? 0 : Output?.Length ?? 0;
}
