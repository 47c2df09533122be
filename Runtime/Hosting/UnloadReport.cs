using System.Collections.Generic;
using System.Linq;

namespace DriverBuffers.Hosting;

/// <summary>What the verifier found when the driver unloaded: requests never completed (DRV004), pool and lookaside leaks.</summary>
public sealed class UnloadReport
{
    internal UnloadReport(IReadOnlyList<WdfViolationException> violations) => Violations = violations;

    /// <summary>One violation per leaked object, with rules DRV004, PoolLeak and LookasideLeak.</summary>
    public IReadOnlyList<WdfViolationException> Violations { get; }

    public bool IsClean => Violations.Count == 0;

    /// <summary>The rules found, in order (handy for assertions).</summary>
    public IReadOnlyList<string> Rules => Violations.Select(v => v.Rule).ToArray();

    public override string ToString() => IsClean ? "clean unload" : string.Join("; ", Violations.Select(v => v.Message));
}
