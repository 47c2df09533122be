using System;

namespace DriverBuffers;

/// <summary>
/// Raised by the run-time verifier when driver code breaks a rule of the framework, the way KMDF Verifier
/// bug checks with 0x10D (WDF_VIOLATION). <see cref="Rule"/> is the analyzer's rule ID (for example
/// "DRV001") where one exists, otherwise a descriptive name ("UseAfterFree", "PoolLeak", ...).
/// </summary>
public class WdfViolationException : Exception
{
    public WdfViolationException(string rule, string ddi, string handle, string detail)
        : base($"{rule}: {ddi} on {handle}: {detail}")
    {
        Rule = rule;
        Ddi = ddi;
        Handle = handle;
        Detail = detail;
    }

    /// <summary>The rule ID ("DRV001") or descriptive rule name ("UseAfterFree").</summary>
    public string Rule { get; }

    /// <summary>The DDI (or pointer accessor) during which the violation was detected.</summary>
    public string Ddi { get; }

    /// <summary>The handle, pointer or allocation involved, for example "WDFMEMORY#12".</summary>
    public string Handle { get; }

    /// <summary>What went wrong, without the rule, DDI and handle prefix.</summary>
    public string Detail { get; }

    /// <summary>
    /// For a leak found at unload (PoolLeak, LookasideLeak): the stack of the call that allocated what leaked, whose
    /// innermost driver frame is where the allocation was made. Null for other violations, or when the verifier was off
    /// at the allocation.
    /// </summary>
    public System.Diagnostics.StackTrace? AllocationStack { get; internal set; }

    /// <summary>
    /// For a request never completed (DRV004, DRV005 found at unload): the driver's callback that received it (its queue
    /// callback, <c>EvtIoInCallerContext</c> or dispatch routine), or for DRV005 the cancel routine that left it
    /// incomplete. Null for other violations, or when the framework alone handled the request.
    /// </summary>
    public System.Reflection.MethodInfo? ReceivingCallback { get; internal set; }
}
