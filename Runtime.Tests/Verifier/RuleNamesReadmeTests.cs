using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace DriverBuffers.Runtime.Tests.Verifier;

/// <summary>Runtime/README.md lists every rule name a violation can carry, and nothing else.</summary>
public class RuleNamesReadmeTests
{
    private static string ReadmePath([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Runtime", "README.md");

    [Fact]
    public void The_README_table_of_rule_names_is_exactly_the_runtimes_rule_names()
    {
        var readme = File.ReadAllText(ReadmePath());
        var section = readme[readme.IndexOf("## Rule names in `WdfViolationException.Rule`", System.StringComparison.Ordinal)..];
        var listed = Regex.Matches(section, @"^\| `(\w+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
        var declared = typeof(Wdf).Assembly.GetType("DriverBuffers.Verifier.Rules")!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Distinct()
            .OrderBy(n => n, System.StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(listed.Length, listed.Distinct().Count());
        Assert.Equal(declared, listed.OrderBy(n => n, System.StringComparer.Ordinal).ToArray());
    }
}
