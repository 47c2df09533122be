using DriverBuffers.IoManager;

namespace DriverBuffers;

/// <summary>
/// C's <c>IRP</c> (the part drivers touch): <c>AssociatedIrp.SystemBuffer</c> (buffered I/O),
/// <c>MdlAddress</c> (direct I/O), <c>UserBuffer</c> (neither I/O), <c>IoStatus</c>, and one stack location per
/// device in the stack it was sent to (<c>IoGetCurrentIrpStackLocation</c>, <c>IoGetNextIrpStackLocation</c>).
/// </summary>
public sealed class IRP
{
    private readonly IO_STACK_LOCATION[] stack;

    internal IRP(IrpTracker tracker, int stackCount)
    {
        Tracker = tracker;
        stack = new IO_STACK_LOCATION[System.Math.Max(1, stackCount)];
        for (int i = 0; i < stack.Length; i++)
        {
            stack[i] = new IO_STACK_LOCATION();
        }
        CurrentLocation = (sbyte)(stack.Length + 1);
    }

    internal IrpTracker Tracker { get; }

    /// <summary>C's <c>StackCount</c>: the number of stack locations.</summary>
    public sbyte StackCount => (sbyte)stack.Length;

    /// <summary>C's <c>CurrentLocation</c>: 1 is the lowest driver's location; <c>StackCount + 1</c> before the IRP is sent.</summary>
    public sbyte CurrentLocation { get; internal set; }

    /// <summary>The stack location at <paramref name="location"/> (1-based), or null outside the stack.</summary>
    internal IO_STACK_LOCATION? LocationAt(int location) =>
        location >= 1 && location <= stack.Length ? stack[location - 1] : null;

    /// <summary>The location the first driver will see (the top of the stack).</summary>
    internal IO_STACK_LOCATION TopLocation => stack[^1];

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

    /// <summary>
    /// C's <c>Irp-&gt;PendingReturned</c>: while completion routines run, whether the driver below marked the IRP
    /// pending (a completion routine that does not return STATUS_MORE_PROCESSING_REQUIRED then calls <c>IoMarkIrpPending</c>).
    /// </summary>
    public bool PendingReturned { get; internal set; }

    /// <summary>C's <c>Irp-&gt;Cancel</c>: the application (or the I/O manager) canceled the IRP.</summary>
    public bool Cancel { get; internal set; }

    /// <summary>The IRP's name, e.g. "IRP#12".</summary>
    public override string ToString() => Tracker.Name;

    /// <summary>C's <c>NULL</c> for an optional IRP; only NULL converts.</summary>
    public static implicit operator IRP?(PVOID pointer) => NullOnly.Convert<IRP?>(pointer, null);

    /// <summary>C's <c>Irp-&gt;AssociatedIrp</c> union.</summary>
    public sealed class AssociatedIrpUnion
    {
        /// <summary>The system buffer of buffered I/O (and METHOD_BUFFERED IOCTLs).</summary>
        public PVOID SystemBuffer { get; set; }
    }
}
