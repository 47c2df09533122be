using DriverBuffers.Exercising.Sources;

namespace DriverBuffers.Exercising.StaticAnalysis;

/// <summary>A diagnostic of the DriverBuffers analyzers on the driver: its rule, message and place.</summary>
public sealed record StaticFinding(string Rule, string Message, SourceLocation Location)
{
    public override string ToString() => $"{Rule} at {Location}";
}
