using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using DriverBuffers.Package.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Package.Tests;

/// <summary>The two packages as NuGet sees them: opened as zip files, their layout and nuspec.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PackageLayoutTests(EndToEndFixture fixture)
{
    private static readonly string[] AnalysisModes = ["recommended", "strict", "none"];

    [Fact]
    public void Analyzer_package_holds_both_assemblies_under_analyzers_and_nothing_under_lib()
    {
        fixture.AssertPacked();
        var entries = Entries(fixture.AnalyzerPackage);

        Assert.Contains("analyzers/dotnet/cs/DriverBuffers.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/DriverBuffers.CodeFixes.dll", entries);
        Assert.Equal(2, entries.Count(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyzer_package_ships_the_analysis_modes_for_direct_and_transitive_references()
    {
        fixture.AssertPacked();
        var entries = Entries(fixture.AnalyzerPackage);

        foreach (var folder in new[] { "build", "buildTransitive" })
        {
            Assert.Contains($"{folder}/DriverBuffers.Analyzers.props", entries);
            Assert.Contains($"{folder}/DriverBuffers.Analyzers.targets", entries);
        }

        foreach (var mode in AnalysisModes)
        {
            Assert.Contains($"config/{mode}.globalconfig", entries);
        }
    }

    [Fact]
    public void Analyzer_package_is_a_development_dependency_with_license_readme_and_links()
    {
        fixture.AssertPacked();
        var metadata = Nuspec(fixture.AnalyzerPackage);

        Assert.Equal("DriverBuffers.Analyzers", Value(metadata, "id"));
        Assert.Equal(fixture.Version, Value(metadata, "version"));
        Assert.Equal("true", Value(metadata, "developmentDependency"));
        AssertCommonMetadata(fixture.AnalyzerPackage, metadata);
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void Runtime_package_holds_the_api_and_depends_on_the_analyzers_of_the_same_version()
    {
        fixture.AssertPacked();
        var entries = Entries(fixture.RuntimePackage);
        var metadata = Nuspec(fixture.RuntimePackage);

        Assert.Contains("lib/net8.0/DriverBuffers.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal));
        Assert.Equal("DriverBuffers", Value(metadata, "id"));
        Assert.Equal(fixture.Version, Value(metadata, "version"));
        AssertCommonMetadata(fixture.RuntimePackage, metadata);

        var dependency = Assert.Single(metadata.Descendants(), e => e.Name.LocalName == "dependency");
        Assert.Equal("DriverBuffers.Analyzers", (string?)dependency.Attribute("id"));
        Assert.Equal(fixture.Version, (string?)dependency.Attribute("version"));
        // The analyzers and their build logic must reach the consumer: nothing excluded.
        var exclude = (string?)dependency.Attribute("exclude") ?? "";
        Assert.DoesNotContain("Analyzers", exclude, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Build", exclude, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public void Every_shipped_rule_links_to_its_page_and_the_page_exists()
    {
        fixture.AssertPacked();
        Skip.If(fixture.Catalog.Rules.IsEmpty, "The analyzer assembly implements no DRV rule yet.");
        foreach (var (id, descriptor) in fixture.Catalog.Rules)
        {
            Assert.Equal($"https://github.com/driverbuffers/driverbuffers/blob/main/docs/rules/{id}.md", descriptor.HelpLinkUri);
            Assert.True(
                File.Exists(Path.Combine(fixture.SourceDirectory, "docs", "rules", id + ".md")),
                $"{id} is shipped but docs/rules/{id}.md, its help link's page, does not exist.");
        }
    }

    private static void AssertCommonMetadata(string package, XElement metadata)
    {
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value);

        var readme = Value(metadata, "readme");
        Assert.False(string.IsNullOrEmpty(readme));
        Assert.Contains(readme, Entries(package));

        Assert.StartsWith("https://", Value(metadata, "projectUrl"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.StartsWith("https://", (string?)repository.Attribute("url"));
    }

    private static string[] Entries(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        return archive.Entries.Select(e => e.FullName).ToArray();
    }

    private static XElement Nuspec(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        var nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
}
