using System;

namespace DriverBuffers.Hosting;

/// <summary>What a simulated I/O target received: the request's type, lengths and (for writes and IOCTLs) its input data.</summary>
public sealed class TargetIoRequest
{
    internal TargetIoRequest(string request, WDF_REQUEST_TYPE type, nuint length, long deviceOffset,
        uint ioControlCode, byte[] inputData, nuint outputLength)
    {
        Request = request;
        Type = type;
        Length = length;
        DeviceOffset = deviceOffset;
        IoControlCode = ioControlCode;
        InputData = inputData;
        OutputLength = outputLength;
    }

    /// <summary>The request handle's name ("WDFREQUEST#7"), or "(framework-internal)" for a synchronous send without a request.</summary>
    public string Request { get; }

    public WDF_REQUEST_TYPE Type { get; }

    /// <summary>The transfer length (read or write).</summary>
    public nuint Length { get; }

    public long DeviceOffset { get; }

    public uint IoControlCode { get; }

    /// <summary>The bytes of the input buffer when the request was sent (writes, IOCTL input).</summary>
    public byte[] InputData { get; }

    /// <summary>The length of the buffer the target may fill (reads, IOCTL output).</summary>
    public nuint OutputLength { get; }

    /// <summary>
    /// The application's request this send serves, when the runtime can tell: the request itself when the driver
    /// passes it down, else the request whose callback (dispatch, queue callback, completion or cancel routine) sent
    /// it. Null for sends from timers, DPCs and work items, and for what the host itself sends. Its
    /// <see cref="IoResult.Tag"/> is what the application attached to it.
    /// </summary>
    public IoResult? Origin { get; init; }

    public override string ToString() => $"{Request}: {Type}, Length={Length}, Output={OutputLength}, Input={InputData.Length} byte(s)";
}
