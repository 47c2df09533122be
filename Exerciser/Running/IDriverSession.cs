using System;
using System.Collections.Generic;
using System.Reflection;
using DriverBuffers.Exercising.Generation;

namespace DriverBuffers.Exercising.Running;

/// <summary>
/// One load of a driver, as the exerciser drives it: start (DriverEntry, add the device, start it), the application's
/// requests, the lower targets' behaviour, and finally remove and unload. Violations thrown at the caller propagate
/// as <see cref="WdfViolationException"/>; every violation, thrown or only recorded, is in <see cref="Violations"/>.
/// </summary>
internal interface IDriverSession : IDisposable
{
    /// <summary>The driver assembly as loaded for this session (its frames are the driver's).</summary>
    Assembly DriverAssembly { get; }

    /// <summary>Every violation so far, thrown or recorded, in order.</summary>
    IReadOnlyList<WdfViolationException> Violations { get; }

    /// <summary>Exceptions thrown by driver code on other threads (completion work), violations or not.</summary>
    IReadOnlyList<Exception> BackgroundFailures { get; }

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, until no lower target completes anything on another thread. A violation
    /// raised there is in <see cref="Violations"/> from the moment it is raised, before its stack has unwound to the
    /// target's catch: read before that, its stack has none or only some of the driver's frames (and so another place).
    /// True if nothing runs on another thread any more.
    /// </summary>
    bool WaitForBackgroundWork(TimeSpan limit);

    /// <summary>Loads the driver: DriverEntry, then add and start a device. Null when it started, else why not (a failure status).</summary>
    string? Start();

    /// <summary>The session's requests, before any is sent (what the targets do for sends that serve none of them).</summary>
    void Begin(IReadOnlyList<GeneratedRequest> requests);

    /// <summary>
    /// Sends the request as the application; returns what the application holds while it is pending. What the driver
    /// sends to its lower targets on the request's behalf completes as the request says (its timing and outcome).
    /// </summary>
    ISubmittedRequest Submit(GeneratedRequest request);

    /// <summary>Lets pending work finish: lower targets complete what they hold, timeouts expire, simulated time passes.</summary>
    void CompletePendingWork();

    /// <summary>Removes the device and unloads the driver; returns what the verifier found then (never completed, leaks).</summary>
    IReadOnlyList<WdfViolationException> Stop();
}

/// <summary>A request the application sent: it can wait for it or cancel it.</summary>
internal interface ISubmittedRequest
{
    GeneratedRequest Request { get; }

    /// <summary>The request's handle name as the verifier names it ("WDFREQUEST#7").</summary>
    string HandleName { get; }

    bool IsCompleted { get; }

    /// <summary>The application cancels the request (CancelIo); false when the session cannot cancel.</summary>
    bool Cancel();
}
