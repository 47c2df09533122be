namespace DriverBuffers;

/// <summary>
/// C's <c>WDF_REQUEST_PARAMETERS</c>, filled by <see cref="Wdf.WdfRequestGetParameters"/>; initialise with
/// <see cref="Wdf.WDF_REQUEST_PARAMETERS_INIT"/>.
/// </summary>
public sealed class WDF_REQUEST_PARAMETERS
{
    public ushort Size { get; set; }

    public byte MinorFunction { get; set; }

    public WDF_REQUEST_TYPE Type { get; set; }

    /// <summary>C's union <c>Parameters</c>.</summary>
    public RequestParameters Parameters { get; } = new();

    public sealed class RequestParameters
    {
        public TransferParameters Read { get; } = new();
        public TransferParameters Write { get; } = new();
        public DeviceIoControlParameters DeviceIoControl { get; } = new();
    }

    public sealed class TransferParameters
    {
        public nuint Length { get; set; }
        public uint Key { get; set; }
        public long DeviceOffset { get; set; }
    }

    public sealed class DeviceIoControlParameters
    {
        public nuint OutputBufferLength { get; set; }
        public nuint InputBufferLength { get; set; }
        public uint IoControlCode { get; set; }
        public PVOID Type3InputBuffer { get; set; }
    }
}
