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

    /// <summary>Every violation found so far (thrown or, with the verifier off, only recorded).</summary>
    public IReadOnlyList<WdfViolationException> Violations => Runtime.Verifier.Violations;

    /// <summary>The host's pool: outstanding allocations, quota, failure injection.</summary>
    public PoolMonitor Pool { get; }

    /// <summary>Runs driver code (DriverEntry-like set-up, helpers) with this host's pool and verifier.</summary>
    public void Run(Action driverCode)
    {
        using (AmbientRuntime.Enter(Runtime))
        {
            driverCode();
        }
    }

    /// <summary>Runs driver code with this host's pool and verifier and returns its result.</summary>
    public T Run<T>(Func<T> driverCode)
    {
        using (AmbientRuntime.Enter(Runtime))
        {
            return driverCode();
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
    /// Unloads the driver: reports requests never completed (DRV004) and leaks (PoolLeak, LookasideLeak) and
    /// deletes the framework's objects. Violations are recorded, not thrown.
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
            findings.AddRange(FindUnfinishedWork());
            Runtime.Driver.EndTree(new Verifier.EndReason(Verifier.Rules.UseAfterDelete, "the driver was unloaded"));
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
