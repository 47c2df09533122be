using System.Collections.Generic;

namespace DriverBuffers.Verifier;

/// <summary>
/// Records every violation a runtime detects and, when enabled, throws it as a
/// <see cref="WdfViolationException"/>. When disabled the caller carries on with the behaviour a real
/// system would show without the check.
/// </summary>
internal sealed class RuntimeVerifier
{
    private readonly object gate = new();
    private readonly List<WdfViolationException> violations = new();

    public RuntimeVerifier(bool enabled) => Enabled = enabled;

    public bool Enabled { get; set; }

    public IReadOnlyList<WdfViolationException> Violations
    {
        get { lock (gate) { return violations.ToArray(); } }
    }

    /// <summary>Records the violation; throws it when the verifier is enabled, else returns it.</summary>
    public WdfViolationException Report(string rule, string ddi, string handle, string detail)
    {
        var violation = new WdfViolationException(rule, ddi, handle, detail);
        lock (gate) { violations.Add(violation); }
        if (Enabled)
        {
            throw violation;
        }
        return violation;
    }

    /// <summary>
    /// The current stack, for an allocation a leak report may later have to place (without file information: a tool
    /// maps its frames through the driver's PDB); null while the verifier is off, which costs nothing then.
    /// </summary>
    public System.Diagnostics.StackTrace? CaptureAllocationStack() => Enabled ? new System.Diagnostics.StackTrace(1, false) : null;

    /// <summary>Records a violation found when nobody can be thrown at (driver unload): never throws.</summary>
    public WdfViolationException Record(string rule, string ddi, string handle, string detail)
    {
        var violation = new WdfViolationException(rule, ddi, handle, detail);
        lock (gate) { violations.Add(violation); }
        return violation;
    }
}
