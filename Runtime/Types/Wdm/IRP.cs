using DriverBuffers.IoManager;

namespace DriverBuffers;

/// <summary>
/// C's <c>IRP</c> (the part drivers touch): <c>AssociatedIrp.SystemBuffer</c> (buffered I/O),
/// <c>MdlAddress</c> (direct I/O), <c>UserBuffer</c> (neither I/O) and <c>IoStatus</c>.
/// </summary>
public sealed class IRP
{
    internal IRP(IrpTracker tracker, IO_STACK_LOCATION stack)
    {
        Tracker = tracker;
        CurrentStackLocation = stack;
    }

    internal IrpTracker Tracker { get; }

    internal IO_STACK_LOCATION CurrentStackLocation { get; }

    /// <summary>C's <c>Irp-&gt;AssociatedIrp</c>.</summary>
    public AssociatedIrpUnion AssociatedIrp { get; } = new();

    /// <summary>C's <c>Irp-&gt;MdlAddress</c>: the MDL of the locked user buffer in direct I/O.</summary>
    public PMDL MdlAddress { get; set; }

    /// <summary>C's <c>Irp-&gt;UserBuffer</c>: the raw user address (neither I/O: probe before use).</summary>
    public PVOID UserBuffer { get; set; }

    /// <summary>C's <c>Irp-&gt;IoStatus</c>.</summary>
    public IO_STATUS_BLOCK IoStatus { get; } = new();

    /// <summary>C's <c>Irp-&gt;RequestorMode</c>.</summary>
    public KPROCESSOR_MODE RequestorMode { get; set; } = KPROCESSOR_MODE.UserMode;

    /// <summary>Set by <c>IoMarkIrpPending</c>.</summary>
    public bool PendingReturned { get; internal set; }

    public override string ToString() => Tracker.Name;

    /// <summary>C's <c>NULL</c> for an optional IRP; only NULL converts.</summary>
    public static implicit operator IRP?(PVOID pointer) => NullOnly.Convert<IRP?>(pointer, null);

    public sealed class AssociatedIrpUnion
    {
        /// <summary>The system buffer of buffered I/O (and METHOD_BUFFERED IOCTLs).</summary>
        public PVOID SystemBuffer { get; set; }
    }
}
