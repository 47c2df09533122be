using System;
using System.Collections.Generic;
using DriverBuffers.Framework;
using DriverBuffers.IoManager;

namespace DriverBuffers.Hosting;

/// <summary>
/// What every host offers a test: the application side (read, write, IOCTL with user buffers), running
/// driver code in the host's context, the verifier's findings, the pool, and driver unload.
/// </summary>
public abstract class DriverHostBase : IDisposable
{
    private bool unloaded;

    private protected DriverHostBase(bool verifierEnabled)
    {
        Runtime = new DriverRuntime(verifierEnabled);
        Pool = new PoolMonitor(Runtime);
    }

    internal DriverRuntime Runtime { get; }

    /// <summary>On by default. Off: no violation is thrown; the runtime behaves as a real system would without the check.</summary>
    public bool VerifierEnabled
    {
        get => Runtime.Verifier.Enabled;
        set => Runtime.Verifier.Enabled = value;
    }

    /// <summary>
    /// The application rewrites a neither-I/O user buffer right after the driver reads it (each byte read is inverted),
    /// as a malicious application on another thread could. A driver that reads a user value twice (DRV045) then sees
    /// a different value the second time; one that copies user data once into kernel memory is unaffected. Off by default.
    /// </summary>
    public bool ChangeUserMemoryBetweenReads
    {
        get => Runtime.ChangeUserMemoryBetweenReads;
        set => Runtime.ChangeUserMemoryBetweenReads = value;
    }

    /// <summary>
    /// A value attached to every request the application sends from the calling thread from now on (its
    /// <see cref="IoResult.Tag"/>), until set again; null by default. Each thread has its own.
    /// </summary>
    public object? ApplicationTag
    {
        get => IoManager.ApplicationScope.Tag;
        set => IoManager.ApplicationScope.Tag = value;
    }

    /// <summary>Every violation found so far (thrown or, with the verifier off, only recorded).</summary>
    public IReadOnlyList<WdfViolationException> Violations => Runtime.Verifier.Violations;

    /// <summary>The host's pool: outstanding allocations, quota, failure injection.</summary>
    public PoolMonitor Pool { get; }

    /// <summary>
    /// Runs driver code (DriverEntry-like set-up, helpers) with this host's pool and verifier, on this thread at its
    /// current IRQL; the IRQL is restored afterwards even if the code left it raised.
    /// </summary>
    public void Run(Action driverCode) => Run(() => { driverCode(); return 0; });

    /// <summary>Runs driver code with this host's pool and verifier and returns its result (see <see cref="Run(Action)"/>).</summary>
    public T Run<T>(Func<T> driverCode)
    {
        var irql = Synchronization.ThreadIrql.Current;
        using (AmbientRuntime.Enter(Runtime))
        {
            try
            {
                return driverCode();
            }
            finally
            {
                Synchronization.ThreadIrql.Set(irql);
            }
        }
    }

    /// <summary>The application reads <paramref name="length"/> bytes (into a buffer of zeroes).</summary>
    public IoResult Read(int length, long deviceOffset = 0) => Read(new byte[length], deviceOffset);

    /// <summary>The application reads into <paramref name="userBuffer"/> (its bytes are the user's memory).</summary>
    public IoResult Read(byte[] userBuffer, long deviceOffset = 0) =>
        SubmitInContext(IoSubmission.Read(userBuffer, ReadWriteMethod, deviceOffset));

    /// <summary>The application writes <paramref name="data"/>.</summary>
    public IoResult Write(byte[] data, long deviceOffset = 0) =>
        SubmitInContext(IoSubmission.Write(data, ReadWriteMethod, deviceOffset));

    /// <summary>
    /// The application sends an IOCTL (the buffering method is the low two bits of the code, see
    /// <see cref="Wdm.CTL_CODE"/>) with <paramref name="input"/> and an output buffer of <paramref name="outputLength"/> zero bytes.
    /// </summary>
    public IoResult DeviceIoControl(uint ioControlCode, byte[]? input, int outputLength) =>
        SubmitInContext(IoSubmission.DeviceControl(ioControlCode, input, outputLength == 0 ? null : new byte[outputLength]));

    /// <summary>
    /// The application sends an internal device-control request (as another driver would, from kernel mode) with
    /// <paramref name="input"/> and an output buffer of <paramref name="outputLength"/> zero bytes.
    /// </summary>
    public IoResult InternalDeviceControl(uint ioControlCode, byte[]? input, int outputLength) =>
        SubmitInContext(IoSubmission.DeviceControl(ioControlCode, input, outputLength == 0 ? null : new byte[outputLength], internalControl: true));

    /// <summary>The application opens the device (C's <c>CreateFile</c>: an IRP_MJ_CREATE).</summary>
    public IoResult Open() => SubmitInContext(IoSubmission.WithoutBuffers(WDF_REQUEST_TYPE.WdfRequestTypeCreate));

    /// <summary>The application closes its handle (C's <c>CloseHandle</c>: IRP_MJ_CLEANUP, then IRP_MJ_CLOSE); the close's result.</summary>
    public IoResult Close()
    {
        SubmitInContext(IoSubmission.WithoutBuffers(WDF_REQUEST_TYPE.WdfRequestTypeCleanup));
        return SubmitInContext(IoSubmission.WithoutBuffers(WDF_REQUEST_TYPE.WdfRequestTypeClose));
    }

    /// <summary>Simulated time since boot. It moves only when <see cref="AdvanceTime"/> (or a framework wait) moves it.</summary>
    public TimeSpan SystemTime => TimeSpan.FromTicks(Runtime.Clock.Now);

    /// <summary>
    /// Lets <paramref name="time"/> of simulated time pass on this thread: queued DPCs (DISPATCH_LEVEL) and work items
    /// (PASSIVE_LEVEL) run, and every timer that falls due fires, in order, at DISPATCH_LEVEL. Returns how many
    /// callbacks ran. A violation in a callback is thrown from here (the verifier is on) or recorded.
    /// </summary>
    public int AdvanceTime(TimeSpan time)
    {
        using (AmbientRuntime.Enter(Runtime))
        {
            return Runtime.Clock.Advance(time.Ticks);
        }
    }

    /// <summary>Runs the DPCs and work items queued so far, and timers due now, without moving time; returns how many ran.</summary>
    public int RunDeferredWork() => AdvanceTime(TimeSpan.Zero);

    /// <summary>
    /// Lets simulated time pass, callback by callback, until <paramref name="condition"/> holds (for example
    /// <c>() =&gt; result.IsCompleted</c>) or nothing is left that could make it hold: no deferred work within a
    /// minute of simulated time and no completion running on another thread. True if it holds.
    /// </summary>
    public bool RunUntil(Func<bool> condition)
    {
        using (AmbientRuntime.Enter(Runtime))
        {
            return Runtime.WaitFor(condition);
        }
    }

    /// <summary>
    /// Unloads the driver (a whole-driver host first removes the device and calls the driver's unload routine):
    /// reports requests never completed (DRV004, DRV005), leaks (PoolLeak, LookasideLeak, DeviceObjectLeak) and
    /// deletes the framework's objects. Violations are recorded, not thrown; those raised by the driver's own
    /// remove and unload code are part of the report.
    /// </summary>
    public UnloadReport Unload()
    {
        if (unloaded)
        {
            return new UnloadReport(Array.Empty<WdfViolationException>());
        }
        unloaded = true;
        using (AmbientRuntime.Enter(Runtime))
        {
            var findings = new List<WdfViolationException>();
            findings.AddRange(ShutDown());
            // A completion another thread is still delivering finishes before anything counts as never completed.
            Runtime.WaitForBackgroundWork();
            findings.AddRange(FindUnfinishedWork());
            try
            {
                Runtime.Driver.EndTree(new Verifier.EndReason(Verifier.Rules.UseAfterDelete, "the driver was unloaded"));
            }
            catch (WdfViolationException violation)
            {
                findings.Add(violation);
            }
            findings.AddRange(Runtime.Pool.ReportLeaks("DriverUnload"));
            return new UnloadReport(findings);
        }
    }

    /// <summary>Unloads if the test did not (the report is discarded).</summary>
    public void Dispose()
    {
        Unload();
        GC.SuppressFinalize(this);
    }

    private protected abstract TransferMethod ReadWriteMethod { get; }

    private protected abstract IoResult Submit(IoSubmission submission);

    private protected abstract IEnumerable<WdfViolationException> FindUnfinishedWork();

    /// <summary>What the host does before the leak checks at unload (remove the device, call the unload routine); the violations it raised.</summary>
    private protected virtual IReadOnlyList<WdfViolationException> ShutDown() => Array.Empty<WdfViolationException>();

    /// <summary>True once <see cref="Unload"/> ran.</summary>
    private protected bool IsUnloaded => unloaded;

    private IoResult SubmitInContext(IoSubmission submission)
    {
        if (unloaded)
        {
            throw new InvalidOperationException("The driver was unloaded.");
        }
        using (AmbientRuntime.Enter(Runtime))
        {
            return Submit(submission);
        }
    }
}
