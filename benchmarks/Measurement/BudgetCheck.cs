namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// One budget of issue 10, what the run measured against it (the verdict), and the same budget measured in
/// processor time by separate runs (the cross-check, less disturbed by a busy machine; null where not measured).
/// </summary>
public sealed record BudgetCheck(string Budget, string Measured, bool Pass, string? CpuMeasured = null, bool? CpuPass = null)
{
    public string Verdict => Pass ? "PASS" : "FAIL";

    public string CpuVerdict => CpuPass is { } pass ? (pass ? "PASS" : "FAIL") : "";
}
