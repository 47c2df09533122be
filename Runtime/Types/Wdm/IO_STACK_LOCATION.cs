namespace DriverBuffers;

/// <summary>C's <c>IO_STACK_LOCATION</c> (the parameters a driver reads from its stack location).</summary>
public sealed class IO_STACK_LOCATION
{
    public byte MajorFunction { get; set; }

    public byte MinorFunction { get; set; }

    /// <summary>C's union <c>Parameters</c>.</summary>
    public StackParameters Parameters { get; } = new();

    public sealed class StackParameters
    {
        public TransferParameters Read { get; } = new();
        public TransferParameters Write { get; } = new();
        public DeviceIoControlParameters DeviceIoControl { get; } = new();
    }

    public sealed class TransferParameters
    {
        public uint Length { get; set; }
        public uint Key { get; set; }
        public long ByteOffset { get; set; }
    }

    public sealed class DeviceIoControlParameters
    {
        public uint OutputBufferLength { get; set; }
        public uint InputBufferLength { get; set; }
        public uint IoControlCode { get; set; }
        public PVOID Type3InputBuffer { get; set; }
    }
}
