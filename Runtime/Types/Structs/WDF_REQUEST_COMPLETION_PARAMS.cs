namespace DriverBuffers;

/// <summary>
/// C's <c>WDF_REQUEST_COMPLETION_PARAMS</c>, handed to a completion routine: <c>Params.IoStatus.Status</c>,
/// <c>Params.IoStatus.Information</c> and the buffers the request was formatted with.
/// </summary>
public sealed class WDF_REQUEST_COMPLETION_PARAMS
{
    public uint Size { get; set; }

    public WDF_REQUEST_TYPE Type { get; set; }

    public IO_STATUS_BLOCK IoStatus { get; set; } = new();

    /// <summary>C's union <c>Parameters</c>.</summary>
    public CompletionParameters Parameters { get; } = new();

    public sealed class CompletionParameters
    {
        public TransferParameters Read { get; } = new();
        public TransferParameters Write { get; } = new();
        public IoctlParameters Ioctl { get; } = new();
    }

    public sealed class TransferParameters
    {
        public WDFMEMORY Buffer { get; set; }
        public nuint Length { get; set; }
        public nuint Offset { get; set; }
    }

    public sealed class IoctlParameters
    {
        public uint IoControlCode { get; set; }
        public TransferParameters Input { get; } = new();
        public TransferParameters Output { get; } = new();
    }
}
