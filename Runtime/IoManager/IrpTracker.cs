namespace DriverBuffers.IoManager;

/// <summary>The I/O manager's bookkeeping for one IRP.</summary>
internal sealed class IrpTracker
{
    public IrpTracker(string name) => Name = name;

    public string Name { get; }
}
