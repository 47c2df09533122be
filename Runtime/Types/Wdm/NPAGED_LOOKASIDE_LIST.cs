namespace DriverBuffers;

/// <summary>
/// C's <c>NPAGED_LOOKASIDE_LIST</c>: a cache of fixed-size nonpaged pool entries. Set it up with
/// <c>ExInitializeNPagedLookasideList(out list, ...)</c> (C passes the address of the driver's structure), take entries
/// with <c>ExAllocateFromNPagedLookasideList</c>, give them back with <c>ExFreeToNPagedLookasideList</c> (an entry
/// used after that is DRV036; given back twice, DRV034), and delete it with <c>ExDeleteNPagedLookasideList</c>.
/// </summary>
public sealed class NPAGED_LOOKASIDE_LIST
{
    internal NPAGED_LOOKASIDE_LIST(Memory.WdmLookasideList list) => List = list;

    internal Memory.WdmLookasideList List { get; }

    /// <summary>Registers the list with its runtime for the leak check at unload.</summary>
    internal NPAGED_LOOKASIDE_LIST Registered()
    {
        List.Runtime.RegisterLookaside(List);
        return this;
    }

    /// <summary>"NPAGED_LOOKASIDE_LIST#n".</summary>
    public override string ToString() => List.Name;
}
