namespace DriverBuffers.Requests;

/// <summary>Whether a request's cancel routine may run (<c>WdfRequestMarkCancelable</c>).</summary>
internal enum CancelState
{
    /// <summary>No cancel routine: canceling only makes <c>WdfRequestIsCanceled</c> TRUE.</summary>
    NotCancelable,
    /// <summary>Marked cancelable: canceling runs the cancel routine; completing without unmarking is DRV005.</summary>
    Cancelable,
    /// <summary>The cancel routine was called (or is running): it owns the request; <c>WdfRequestUnmarkCancelable</c> returns STATUS_CANCELLED.</summary>
    CancelRoutineCalled,
}
