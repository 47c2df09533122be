using System.Numerics;

namespace DriverBuffers.Memory;

/// <summary>
/// <c>ProbeForRead</c>/<c>ProbeForWrite</c>: a user-mode range must be aligned and lie inside the user
/// buffer, else the probe raises (as C's <c>ExRaiseStatus</c>) for the driver's <c>__try/__except</c>.
/// A successful probe makes the user address usable (DRV042 no longer fires for it).
/// </summary>
internal static class UserAddressProbe
{
    public static void Probe(PVOID address, nuint length, uint alignment, string ddi)
    {
        if (length == 0)
        {
            return;
        }
        if (alignment == 0 || alignment > 16 || !BitOperations.IsPow2(alignment))
        {
            throw new NtStatusException(Wdm.STATUS_INVALID_PARAMETER, $"{ddi}: alignment {alignment} is not 1, 2, 4, 8 or 16");
        }
        if (address.Offset % alignment != 0)
        {
            throw new NtStatusException(Wdm.STATUS_DATATYPE_MISALIGNMENT, $"{ddi}: {address} is not {alignment}-byte aligned");
        }
        var allocation = address.Allocation;
        if (allocation is null || !allocation.RequiresProbe)
        {
            throw new NtStatusException(Wdm.STATUS_ACCESS_VIOLATION, $"{ddi}: {address} is not a user-mode address");
        }
        if (allocation.End is { } end)
        {
            allocation.Runtime.Verifier.Report(end.Rule, ddi, address.ToString(), end.Detail);
            throw new NtStatusException(Wdm.STATUS_ACCESS_VIOLATION, $"{ddi}: {address} is no longer valid");
        }
        if (address.Offset > (nuint)allocation.Length || length > (nuint)allocation.Length - address.Offset)
        {
            throw new NtStatusException(Wdm.STATUS_ACCESS_VIOLATION,
                $"{ddi}: {length} byte(s) at {address} run past the {allocation.Length}-byte user buffer");
        }
        allocation.MarkProbed();
    }
}
