using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Conventions;

/// <summary>
/// The README's rule table, the category table of <c>docs/configuration.md</c> and each rule's page
/// <c>docs/rules/ID.md</c> agree with the descriptors and with the code-fix providers' <c>FixableDiagnosticIds</c>.
/// </summary>
public class DocumentationConventionTests
{
    private static readonly Regex ReadmeRow = new(@"^\| \[(?<id>DRV\d{3})\]\((?<link>[^)]*)\) \| (?<finds>[^|]+) \| (?<fix>[^|]*)\|\s*$", RegexOptions.Multiline);

    private static readonly Regex CategoryRow = new(@"^\| (?<ids>DRV\d{3}(?:, DRV\d{3})*) \| `(?<category>[^`]+)` \| (?<severity>\w+) \|\s*$", RegexOptions.Multiline);

    private static readonly Regex PageRow = new(@"^\| (?<topic>[^|]+?) \| (?<value>[^|]+?) \|\s*$", RegexOptions.Multiline);

    public static TheoryData<string> Ids() => DescriptorCatalog.Rows(DescriptorCatalog.All.Select(d => d.Id));

    [Fact]
    public void ReadmeTableListsEveryRuleOnceInOrderWithItsPageAndFix()
    {
        var readme = File.ReadAllText(Path.Combine(AnalyzerHarness.RepositoryRoot(), "README.md"));
        var rows = ReadmeRow.Matches(readme).Select(m => (
            Id: m.Groups["id"].Value,
            Link: m.Groups["link"].Value,
            Fix: m.Groups["fix"].Value.Trim())).ToList();

        Assert.Equal(DescriptorCatalog.All.Select(d => d.Id), rows.Select(r => r.Id));
        foreach (var (id, link, fix) in rows)
        {
            Assert.Equal($"docs/rules/{id}.md", link);
            var expected = DescriptorCatalog.Fixable.Contains(id) ? "yes" : "";
            Assert.True(expected == fix, $"README: the Fix column of {id} says \"{fix}\", expected \"{expected}\" (FixableDiagnosticIds).");
        }
    }

    [Fact]
    public void ConfigurationCategoryTableListsEveryRuleUnderItsCategoryAndSeverity()
    {
        var configuration = File.ReadAllText(Path.Combine(AnalyzerHarness.RepositoryRoot(), "docs", "configuration.md"));
        var rows = CategoryRow.Matches(configuration).Cast<Match>()
            .SelectMany(m => m.Groups["ids"].Value.Split(',').Select(id => (
                Id: id.Trim(), Category: m.Groups["category"].Value, Severity: m.Groups["severity"].Value)))
            .ToList();

        Assert.Equal(DescriptorCatalog.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), rows.Select(r => r.Id).OrderBy(id => id, StringComparer.Ordinal));
        foreach (var (id, category, severity) in rows)
        {
            var descriptor = DescriptorCatalog.All.Single(d => d.Id == id);
            Assert.True(descriptor.Category == category, $"docs/configuration.md lists {id} under {category}; its category is {descriptor.Category}.");
            Assert.Equal(descriptor.DefaultSeverity.ToString().ToLowerInvariant(), severity);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void RulePageAgreesWithTheDescriptorAndTheFixes(string id)
    {
        var descriptor = DescriptorCatalog.All.Single(d => d.Id == id);
        var page = Path.Combine(AnalyzerHarness.RepositoryRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} links to {descriptor.HelpLinkUri}, but docs/rules/{id}.md does not exist.");
        var text = File.ReadAllText(page);

        Assert.StartsWith($"# {id}: {descriptor.Title.ToString(CultureInfo.InvariantCulture)}\n", text.Replace("\r\n", "\n"), StringComparison.Ordinal);
        var topics = Topics(text);
        Assert.Equal(id, topics["Id"]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), topics["Severity"]);
        Assert.Equal(descriptor.IsEnabledByDefault ? "Yes" : "No", topics["Enabled"]);
        Assert.Equal(descriptor.Category, topics["Category"]);
        var fixable = DescriptorCatalog.Fixable.Contains(id);
        Assert.True(
            topics["Code fix"].StartsWith(fixable ? "Yes" : "No", StringComparison.Ordinal),
            $"docs/rules/{id}.md says \"Code fix | {topics["Code fix"]}\", but {id} is {(fixable ? "" : "not ")}in a provider's FixableDiagnosticIds.");
    }

    [Fact]
    public void NoPageWithoutARule()
    {
        var pages = Directory.GetFiles(Path.Combine(AnalyzerHarness.RepositoryRoot(), "docs", "rules"), "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(DescriptorCatalog.All.Select(d => d.Id), pages);
    }

    private static Dictionary<string, string> Topics(string page)
    {
        var topics = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in PageRow.Matches(page))
        {
            topics.TryAdd(match.Groups["topic"].Value, match.Groups["value"].Value);
        }

        return topics;
    }
}
