namespace DriverBuffers;

/// <summary>C's <c>WDF_SYNCHRONIZATION_SCOPE</c> (accepted and kept; see the runtime README for what is simulated).</summary>
public enum WDF_SYNCHRONIZATION_SCOPE
{
    /// <summary>Not a scope.</summary>
    WdfSynchronizationScopeInvalid = 0,
    /// <summary>The parent's scope.</summary>
    WdfSynchronizationScopeInheritFromParent,
    /// <summary>Callbacks of the device's objects are serialized.</summary>
    WdfSynchronizationScopeDevice,
    /// <summary>Callbacks of each queue are serialized.</summary>
    WdfSynchronizationScopeQueue,
    /// <summary>No serialization.</summary>
    WdfSynchronizationScopeNone,
}

/// <summary>C's <c>WDF_EXECUTION_LEVEL</c> (accepted and kept; see the runtime README for what is simulated).</summary>
public enum WDF_EXECUTION_LEVEL
{
    /// <summary>Not a level.</summary>
    WdfExecutionLevelInvalid = 0,
    /// <summary>The parent's level.</summary>
    WdfExecutionLevelInheritFromParent,
    /// <summary>Callbacks at PASSIVE_LEVEL.</summary>
    WdfExecutionLevelPassive,
    /// <summary>Callbacks at up to DISPATCH_LEVEL.</summary>
    WdfExecutionLevelDispatch,
}
