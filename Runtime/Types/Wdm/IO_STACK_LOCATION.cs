namespace DriverBuffers;

/// <summary>
/// C's <c>IO_STACK_LOCATION</c>: one driver's view of an IRP (its major and minor function and parameters),
/// plus the completion routine the driver above set with <c>IoSetCompletionRoutine</c>.
/// </summary>
public sealed class IO_STACK_LOCATION
{
    /// <summary>C's <c>MajorFunction</c> (<c>IRP_MJ_*</c>).</summary>
    public byte MajorFunction { get; set; }

    /// <summary>C's <c>MinorFunction</c> (<c>IRP_MN_*</c> for PnP and power IRPs).</summary>
    public byte MinorFunction { get; set; }

    /// <summary>C's <c>Flags</c>.</summary>
    public byte Flags { get; set; }

    /// <summary>C's <c>Control</c>: <c>SL_PENDING_RETURNED</c> (set by <c>IoMarkIrpPending</c>) and the <c>SL_INVOKE_ON_*</c> bits.</summary>
    public byte Control { get; set; }

    /// <summary>C's union <c>Parameters</c>.</summary>
    public StackParameters Parameters { get; } = new();

    /// <summary>C's <c>DeviceObject</c>: the device this location was sent to.</summary>
    public DEVICE_OBJECT? DeviceObject { get; internal set; }

    internal IO_COMPLETION_ROUTINE? CompletionRoutine { get; set; }

    internal object? Context { get; set; }

    /// <summary><c>IoCopyCurrentIrpStackLocationToNext</c>: everything but the completion routine and its control bits.</summary>
    internal void CopyFrom(IO_STACK_LOCATION source)
    {
        MajorFunction = source.MajorFunction;
        MinorFunction = source.MinorFunction;
        Flags = source.Flags;
        Control = 0;
        CompletionRoutine = null;
        Context = null;
        Parameters.CopyFrom(source.Parameters);
    }

    /// <summary>C's <c>Parameters</c> union.</summary>
    public sealed class StackParameters
    {
        /// <summary>IRP_MJ_READ.</summary>
        public TransferParameters Read { get; } = new();

        /// <summary>IRP_MJ_WRITE.</summary>
        public TransferParameters Write { get; } = new();

        /// <summary>IRP_MJ_DEVICE_CONTROL and IRP_MJ_INTERNAL_DEVICE_CONTROL.</summary>
        public DeviceIoControlParameters DeviceIoControl { get; } = new();

        internal void CopyFrom(StackParameters source)
        {
            Read.CopyFrom(source.Read);
            Write.CopyFrom(source.Write);
            DeviceIoControl.CopyFrom(source.DeviceIoControl);
        }
    }

    /// <summary>C's <c>Parameters.Read</c> / <c>Parameters.Write</c>.</summary>
    public sealed class TransferParameters
    {
        /// <summary>The transfer length (for direct I/O use <c>MmGetMdlByteCount</c>, DRV043).</summary>
        public uint Length { get; set; }

        /// <summary>C's <c>Key</c>.</summary>
        public uint Key { get; set; }

        /// <summary>C's <c>ByteOffset</c>.</summary>
        public long ByteOffset { get; set; }

        internal void CopyFrom(TransferParameters source)
        {
            Length = source.Length;
            Key = source.Key;
            ByteOffset = source.ByteOffset;
        }
    }

    /// <summary>C's <c>Parameters.DeviceIoControl</c>.</summary>
    public sealed class DeviceIoControlParameters
    {
        /// <summary>The output buffer's length.</summary>
        public uint OutputBufferLength { get; set; }

        /// <summary>The input buffer's length.</summary>
        public uint InputBufferLength { get; set; }

        /// <summary>The control code.</summary>
        public uint IoControlCode { get; set; }

        /// <summary>METHOD_NEITHER: the user address of the input buffer (probe before use).</summary>
        public PVOID Type3InputBuffer { get; set; }

        internal void CopyFrom(DeviceIoControlParameters source)
        {
            OutputBufferLength = source.OutputBufferLength;
            InputBufferLength = source.InputBufferLength;
            IoControlCode = source.IoControlCode;
            Type3InputBuffer = source.Type3InputBuffer;
        }
    }
}
