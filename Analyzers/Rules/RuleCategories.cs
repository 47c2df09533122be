namespace DriverBuffers.Analyzers.Rules;

/// <summary>The rule families of <c>shared/RULES.md</c>, used as the descriptors' category.</summary>
public static class RuleCategories
{
    public const string Lifetime = "DriverBuffers.Lifetime";
    public const string Reuse = "DriverBuffers.Reuse";
    public const string Copies = "DriverBuffers.Copies";
    public const string Allocation = "DriverBuffers.Allocation";
    public const string IoModes = "DriverBuffers.IoModes";
}
