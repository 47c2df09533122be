using DriverBuffers.Hosting;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.TestSupport;

/// <summary>Puts test bytes into pool so driver code can be given a pointer to them.</summary>
internal static class PointerFactory
{
    /// <summary>Copies <paramref name="bytes"/> into a new pool allocation of <paramref name="host"/> (never freed: test data).</summary>
    public static PVOID AsPointerIn(this byte[] bytes, DriverHostBase host) => host.Run(() =>
    {
        var pointer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (nuint)bytes.Length, Tags.Test);
        pointer.CopyFrom(bytes, 0);
        return pointer;
    });

    /// <summary>Copies <paramref name="bytes"/> into a new pool allocation of the current runtime.</summary>
    public static PVOID AsPointer(this byte[] bytes)
    {
        var pointer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (nuint)bytes.Length, Tags.Test);
        pointer.CopyFrom(bytes, 0);
        return pointer;
    }
}
