namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>One budget of issue 10 and what the run measured against it.</summary>
public sealed record BudgetCheck(string Budget, string Measured, bool Pass)
{
    public string Verdict => Pass ? "PASS" : "FAIL";
}
