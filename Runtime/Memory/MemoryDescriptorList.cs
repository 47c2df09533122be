using DriverBuffers.Framework;

namespace DriverBuffers.Memory;

/// <summary>The MDL behind a <see cref="PMDL"/>: describes a virtual buffer, its lock state and system mapping.</summary>
internal sealed class MemoryDescriptorList : INamedObject
{
    public MemoryDescriptorList(DriverRuntime runtime)
    {
        Runtime = runtime;
        Id = ObjectIds.Next();
    }

    public DriverRuntime Runtime { get; }

    public long Id { get; }
}
