using DriverBuffers.Framework;

namespace DriverBuffers.Synchronization;

/// <summary>The framework spin lock behind a <c>WDFSPINLOCK</c>.</summary>
internal sealed class WdfSpinLockObject : WdfObject
{
    public WdfSpinLockObject(DriverRuntime runtime) : base(runtime, "WDFSPINLOCK", parent: null) =>
        Core = new SpinLockCore(HandleName);

    public SpinLockCore Core { get; }
}
