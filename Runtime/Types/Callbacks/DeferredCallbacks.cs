namespace DriverBuffers;

/// <summary>A timer's callback, run at DISPATCH_LEVEL when the timer fires (C's <c>EVT_WDF_TIMER</c>).</summary>
public delegate void EVT_WDF_TIMER(WDFTIMER Timer);

/// <summary>A work item's callback, run at PASSIVE_LEVEL on a system thread (C's <c>EVT_WDF_WORKITEM</c>).</summary>
public delegate void EVT_WDF_WORKITEM(WDFWORKITEM WorkItem);

/// <summary>A DPC's callback, run at DISPATCH_LEVEL (C's <c>EVT_WDF_DPC</c>).</summary>
public delegate void EVT_WDF_DPC(WDFDPC Dpc);
