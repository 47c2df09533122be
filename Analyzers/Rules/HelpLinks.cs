namespace DriverBuffers.Analyzers.Rules;

/// <summary>Builds the link to a rule's documentation page, <c>docs/rules/ID.md</c>.</summary>
public static class HelpLinks
{
    public const string RulesBaseUri = "https://github.com/driverbuffers/driverbuffers/blob/main/docs/rules/";

    public static string ForRule(string id) => RulesBaseUri + id + ".md";
}
