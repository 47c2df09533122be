using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Infrastructure;

/// <summary>
/// Every descriptor in <see cref="Descriptors"/>: a help link to its page, resolvable strings, and
/// its page <c>docs/rules/ID.md</c>. A family's pages are required as soon as one page of that family is in the
/// repository (families are merged one by one); the Lifetime pages always are. The release rows and the
/// descriptors' other conventions: <see cref="Conventions.DescriptorConventionTests"/>.
/// </summary>
public class DescriptorTests
{
    public static IEnumerable<object[]> AllDescriptors() =>
        typeof(Descriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => new object[] { f.Name });

    private static DiagnosticDescriptor Get(string field) =>
        (DiagnosticDescriptor)typeof(Descriptors).GetField(field)!.GetValue(null)!;

    [Fact]
    public void EveryRuleIdentifierHasADescriptor()
    {
        var ids = typeof(RuleIdentifiers).GetFields().Select(f => (string)f.GetValue(null)!).OrderBy(i => i).ToList();
        var described = AllDescriptors().Select(a => Get((string)a[0]).Id).OrderBy(i => i).ToList();
        Assert.Equal(ids, described);
    }

    [Theory]
    [MemberData(nameof(AllDescriptors))]
    public void HelpLinkIsTheRulePage(string field)
    {
        var descriptor = Get(field);
        Assert.Equal(HelpLinks.ForRule(descriptor.Id), descriptor.HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(AllDescriptors))]
    public void StringsResolve(string field)
    {
        var descriptor = Get(field);
        foreach (var text in new[] { descriptor.Title, descriptor.MessageFormat, descriptor.Description })
        {
            var resolved = text.ToString(CultureInfo.InvariantCulture);
            Assert.False(string.IsNullOrWhiteSpace(resolved), descriptor.Id + " has an empty or missing resource");
        }
    }

    [Theory]
    [MemberData(nameof(AllDescriptors))]
    public void HasItsDocumentationPage(string field)
    {
        var descriptor = Get(field);
        var rules = Path.Combine(AnalyzerHarness.RepositoryRoot(), "docs", "rules");
        var page = Path.Combine(rules, descriptor.Id + ".md");
        var familyMerged = descriptor.Category == RuleCategories.Lifetime ||
            (Directory.Exists(rules) && Directory.GetFiles(rules, "DRV*.md").Any(p => SameFamily(Path.GetFileNameWithoutExtension(p), descriptor.Id)));
        if (familyMerged)
        {
            Assert.True(File.Exists(page), "missing " + page);
            var text = File.ReadAllText(page);
            Assert.Contains("# " + descriptor.Id, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Rule families are decades: DRV001-009, DRV010-019, ...</summary>
    private static bool SameFamily(string left, string right) =>
        left.Length == 6 && right.Length == 6 && left.Substring(0, 5) == right.Substring(0, 5);
}
