namespace DriverBuffers.Deferred;

/// <summary>Work the simulated clock runs: a timer's, DPC's or work item's callback.</summary>
internal interface IDeferredWork
{
    /// <summary>Runs the callback (at its IRQL); false, without a call, if the work was canceled or its object deleted meanwhile.</summary>
    bool Run();
}
