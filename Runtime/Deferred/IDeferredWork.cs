namespace DriverBuffers.Deferred;

/// <summary>Work the simulated clock runs: a timer's, DPC's or work item's callback.</summary>
internal interface IDeferredWork
{
    /// <summary>Runs the callback (at its IRQL); does nothing if its object was deleted meanwhile.</summary>
    void Run();
}
