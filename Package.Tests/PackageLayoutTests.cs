using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
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

    [Fact]
    public void Runtime_package_ships_the_xml_documentation_of_the_ddis()
    {
        fixture.AssertPacked();
        Assert.Contains("lib/net8.0/DriverBuffers.xml", Entries(fixture.RuntimePackage));

        var documentation = XDocument.Parse(ReadEntry(fixture.RuntimePackage, "lib/net8.0/DriverBuffers.xml"));
        Assert.Equal("DriverBuffers", documentation.Root!.Element("assembly")!.Element("name")!.Value);
        var members = documentation.Descendants("member")
            .ToDictionary(m => (string)m.Attribute("name")!, m => m.Element("summary")?.Value.Trim() ?? "");
        var completion = Assert.Single(members, m => m.Key.StartsWith("M:DriverBuffers.Wdf.WdfRequestComplete(", StringComparison.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(completion.Value), "WdfRequestComplete has no summary: no hover text in the editor.");
        Assert.True(members.Count >= 100, $"Only {members.Count} documented members in DriverBuffers.xml.");
    }

    /// <summary>
    /// The analyzers load in a host whose compiler is Roslyn 4.8 or newer (VS 2022 17.8, .NET 8 SDK): no packed
    /// assembly references a newer Microsoft.CodeAnalysis.
    /// </summary>
    [Fact]
    public void Packed_analyzers_reference_Roslyn_4_8_at_most()
    {
        fixture.AssertPacked();
        using var archive = ZipFile.OpenRead(fixture.AnalyzerPackage);
        var assemblies = archive.Entries.Where(e => e.FullName.StartsWith("analyzers/", StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, assemblies.Count);

        foreach (var entry in assemblies)
        {
            var roslyn = AssemblyReferences(entry).Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();
            Assert.Contains(roslyn, r => r.Name == "Microsoft.CodeAnalysis");
            foreach (var (name, version) in roslyn)
            {
                Assert.True(version <= new Version(4, 8, 0, 0), $"{entry.Name} references {name} {version}: hosts older than that compiler cannot load it.");
            }
        }
    }

    [Theory]
    [InlineData("DriverBuffers")]
    [InlineData("DriverBuffers.Analyzers")]
    public void Package_carries_its_icon_and_license_file(string id)
    {
        fixture.AssertPacked();
        var package = Path.Combine(fixture.PackageDirectory, $"{id}.{fixture.Version}.nupkg");
        var metadata = Nuspec(package);
        var entries = Entries(package);

        Assert.Equal("icon.png", Value(metadata, "icon"));
        using (var archive = ZipFile.OpenRead(package))
        using (var icon = archive.GetEntry("icon.png")!.Open())
        {
            var header = new byte[8];
            icon.ReadExactly(header);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, header);
        }

        Assert.Contains("LICENSE", entries);
        var license = ReadEntry(package, "LICENSE");
        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(fixture.SourceDirectory, "LICENSE")), license);
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

    private static IEnumerable<(string Name, Version Version)> AssemblyReferences(ZipArchiveEntry entry)
    {
        using var stream = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(stream);
        }

        stream.Position = 0;
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (metadata.GetString(reference.Name), reference.Version))
            .ToList();
    }

    private static string ReadEntry(string package, string name)
    {
        using var archive = ZipFile.OpenRead(package);
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
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
