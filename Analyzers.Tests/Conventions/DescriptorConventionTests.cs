using System;
using System.Globalization;
using System.IO;
using System.Linq;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Conventions;

/// <summary>
/// Every descriptor comes from one helper, <c>Descriptors.Rule</c>: ID → help link, category (the ID's family),
/// resources; and has its release row (ID, category, severity, title). Every analyzer reports only those.
/// </summary>
public class DescriptorConventionTests
{
    public static TheoryData<string> FieldNames() => DescriptorCatalog.Rows(DescriptorCatalog.Fields.Select(f => f.Name));

    private static DiagnosticDescriptor Field(string name) => DescriptorCatalog.Fields.Single(f => f.Name == name).Descriptor;

    [Theory]
    [MemberData(nameof(FieldNames))]
    public void IsMadeByTheHelperFromItsRuleIdentifier(string name)
    {
        var descriptor = Field(name);
        var identifier = typeof(RuleIdentifiers).GetField(name);
        Assert.True(identifier is not null, $"Descriptors.{name} has no RuleIdentifiers.{name}.");
        Assert.Equal((string)identifier.GetValue(null)!, descriptor.Id);

        var expected = Descriptors.Rule(descriptor.Id, name);
        Assert.Equal(expected, descriptor);
        Assert.Equal(HelpLinks.ForRule(descriptor.Id), descriptor.HelpLinkUri);
        Assert.Equal(RuleCategories.ForRule(descriptor.Id), descriptor.Category);
    }

    [Theory]
    [MemberData(nameof(FieldNames))]
    public void HasItsReleaseRowWithCategorySeverityAndTitle(string name)
    {
        var descriptor = Field(name);
        var root = AnalyzerHarness.RepositoryRoot();
        var rows = File.ReadAllLines(Path.Combine(root, "Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(root, "Analyzers", "AnalyzerReleases.Shipped.md")))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .Where(cells => cells.Length == 4 && cells[0] == descriptor.Id)
            .ToList();

        var row = Assert.Single(rows);
        Assert.Equal(descriptor.Category, row[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
        Assert.Equal(descriptor.Title.ToString(CultureInfo.InvariantCulture), row[3]);
    }

    [Fact]
    public void AnalyzersReportOnlyDescriptorsOfTheCatalog()
    {
        var analyzers = AnalyzerHarness.AllAnalyzers();
        Assert.NotEmpty(analyzers);
        foreach (var analyzer in analyzers)
        {
            Assert.All(analyzer.SupportedDiagnostics, supported => Assert.True(
                DescriptorCatalog.All.Any(d => ReferenceEquals(d, supported)),
                $"{analyzer.GetType().Name} supports {supported.Id}, a descriptor not taken from Descriptors."));
        }

        var reported = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        Assert.All(DescriptorCatalog.All, d => Assert.Contains(d.Id, reported));
    }

    [Fact]
    public void EveryRuleOfTheFamiliesHasADistinctId() =>
        Assert.Equal(DescriptorCatalog.All.Length, DescriptorCatalog.All.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
}
