using System;

namespace DriverBuffers.Analyzers.Rules;

/// <summary>The rule families of <c>shared/RULES.md</c>, used as the descriptors' category.</summary>
public static class RuleCategories
{
    public const string Lifetime = "DriverBuffers.Lifetime";
    public const string Reuse = "DriverBuffers.Reuse";
    public const string Copies = "DriverBuffers.Copies";
    public const string Allocation = "DriverBuffers.Allocation";
    public const string IoModes = "DriverBuffers.IoModes";

    /// <summary>The family of a rule: its ID's decade (DRV001-009 Lifetime, DRV010-019 Reuse, DRV020-029 Copies, ...).</summary>
    public static string ForRule(string id) => id.Substring(0, 5) switch
    {
        "DRV00" => Lifetime,
        "DRV01" => Reuse,
        "DRV02" => Copies,
        "DRV03" => Allocation,
        "DRV04" => IoModes,
        _ => throw new ArgumentException($"{id} is in no rule family.", nameof(id)),
    };
}
