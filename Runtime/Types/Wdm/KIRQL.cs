namespace DriverBuffers;

/// <summary>
/// C's <c>KIRQL</c>: the interrupt request level a processor runs at. Code at <see cref="DISPATCH_LEVEL"/> or
/// above may not touch pageable memory, wait, or call DDIs that require <see cref="PASSIVE_LEVEL"/>. The bare
/// names (<c>PASSIVE_LEVEL</c>, <c>APC_LEVEL</c>, <c>DISPATCH_LEVEL</c>) come with <c>using static DriverBuffers.Wdm;</c>.
/// </summary>
public enum KIRQL : byte
{
    /// <summary>Normal thread execution; everything is allowed.</summary>
    PASSIVE_LEVEL = 0,
    /// <summary>Asynchronous procedure calls are masked; pageable memory is still allowed.</summary>
    APC_LEVEL = 1,
    /// <summary>DPCs, timers, spin locks: no paging, no waiting.</summary>
    DISPATCH_LEVEL = 2,
    /// <summary>The highest level (all interrupts masked).</summary>
    HIGH_LEVEL = 15,
}
