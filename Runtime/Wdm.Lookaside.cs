using DriverBuffers.Framework;
using DriverBuffers.Memory;

namespace DriverBuffers;

/// <summary>WDM lookaside lists of nonpaged pool entries.</summary>
public static partial class Wdm
{
    /// <summary>C's <c>POOL_NX_ALLOCATION</c> flag for <c>ExInitializeNPagedLookasideList</c>.</summary>
    public const uint POOL_NX_ALLOCATION = 512;

    /// <summary>
    /// Sets up a lookaside list of <paramref name="Size"/>-byte nonpaged entries tagged <paramref name="Tag"/>;
    /// <paramref name="Allocate"/>/<paramref name="Free"/> replace the pool calls (NULL for the defaults).
    /// <paramref name="Flags"/> and <paramref name="Depth"/> are accepted as in C.
    /// </summary>
    public static void ExInitializeNPagedLookasideList(out NPAGED_LOOKASIDE_LIST Lookaside, ALLOCATE_FUNCTION? Allocate,
        FREE_FUNCTION? Free, uint Flags, nuint Size, uint Tag, ushort Depth) =>
        Lookaside = new NPAGED_LOOKASIDE_LIST(new WdmLookasideList(AmbientRuntime.Current, Allocate, Free, Size, Tag == 0 ? Pool.PoolTags.None : Tag))
            .Registered();

    /// <summary><see cref="ExInitializeNPagedLookasideList(out NPAGED_LOOKASIDE_LIST, ALLOCATE_FUNCTION?, FREE_FUNCTION?, uint, nuint, uint, ushort)"/> with C's <c>NULL</c> for both functions.</summary>
    public static void ExInitializeNPagedLookasideList(out NPAGED_LOOKASIDE_LIST Lookaside, PVOID Allocate, PVOID Free,
        uint Flags, nuint Size, uint Tag, ushort Depth)
    {
        NullOnly.Convert(Allocate, 0);
        NullOnly.Convert(Free, 0);
        ExInitializeNPagedLookasideList(out Lookaside, (ALLOCATE_FUNCTION?)null, null, Flags, Size, Tag, Depth);
    }

    /// <summary>An entry of the list (its old bytes if recycled), or NULL when pool runs out.</summary>
    public static PVOID ExAllocateFromNPagedLookasideList(NPAGED_LOOKASIDE_LIST Lookaside) =>
        RequiredParameter.Present(Lookaside, nameof(ExAllocateFromNPagedLookasideList), nameof(Lookaside))
            ? Lookaside.List.Allocate(nameof(ExAllocateFromNPagedLookasideList))
            : NULL;

    /// <summary>Gives an entry back; using it afterwards is DRV036, giving it back twice DRV034.</summary>
    public static void ExFreeToNPagedLookasideList(NPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
    {
        if (RequiredParameter.Present(Lookaside, nameof(ExFreeToNPagedLookasideList), nameof(Lookaside)))
        {
            Lookaside.List.Free(Entry, nameof(ExFreeToNPagedLookasideList));
        }
    }

    /// <summary>Deletes the list and frees its cached entries; entries still handed out are leaks at unload.</summary>
    public static void ExDeleteNPagedLookasideList(NPAGED_LOOKASIDE_LIST Lookaside)
    {
        if (RequiredParameter.Present(Lookaside, nameof(ExDeleteNPagedLookasideList), nameof(Lookaside)))
        {
            Lookaside.List.Delete(nameof(ExDeleteNPagedLookasideList));
        }
    }
}
