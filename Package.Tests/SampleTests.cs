using System;
using System.IO;
using System.Linq;
using DriverBuffers.Package.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Package.Tests;

/// <summary>
/// The README's main job: <c>dotnet build samples/BuggyDriver/BuggyDriver.csproj</c> shows a warning at every
/// marked bug (of the rules implemented so far) and nowhere else; <c>samples/CorrectDriver</c> builds clean.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SampleTests(EndToEndFixture fixture)
{
    [SkippableFact]
    public void Buggy_sample_build_shows_a_warning_at_every_marked_bug_and_nowhere_else()
    {
        var markers = fixture.RequireImplementedMarkers();
        var build = fixture.BuggySampleBuild;

        Assert.True(build.Succeeded, "The buggy sample must build (its findings are warnings): " + build.Describe());
        var ours = BuildDiagnostics.Ours(build.Output);
        Expectations.AssertFindingsMatchMarkers(markers, ours, "warning", build);
        Assert.All(ours, d => Assert.Equal(fixture.Catalog.Rules[d.Id].HelpLinkUri, d.HelpLink));
    }

    [SkippableFact]
    public void Correct_sample_builds_without_a_finding()
    {
        fixture.AssertPacked();
        Skip.IfNot(File.Exists(Path.Combine(fixture.CorrectSampleDirectory, "CorrectDriver.csproj")), "samples/CorrectDriver is not in the repository yet.");
        var build = fixture.CorrectSampleBuild;

        Assert.True(build.Succeeded, "The correct sample must build with warnings as errors: " + build.Describe());
        Assert.Empty(BuildDiagnostics.Ours(build.Output));
        Assert.Empty(BugMarkers.Read(fixture.CorrectSampleDirectory));
    }
}

/// <summary>The buggy sample, read as text: it marks a bug of every rule of the catalog.</summary>
public sealed class SampleMarkerTests
{
    // RULES.md: the Lifetime, Reuse, Copies, Allocation and I/O-mode families.
    private static readonly string[] CatalogRules =
    [
        "DRV001", "DRV002", "DRV003", "DRV004", "DRV005",
        "DRV010", "DRV011", "DRV012", "DRV013",
        "DRV020", "DRV021", "DRV022", "DRV023", "DRV024",
        "DRV030", "DRV031", "DRV032", "DRV033", "DRV034", "DRV035", "DRV036", "DRV037",
        "DRV040", "DRV041", "DRV042", "DRV043", "DRV044", "DRV045", "DRV046",
    ];

    [SkippableFact]
    public void Buggy_sample_marks_a_bug_of_every_rule()
    {
        var sample = Path.Combine(RepositoryCopy.FindRoot(), "samples", "BuggyDriver");
        Skip.IfNot(Directory.Exists(sample), EndToEndFixture.SkipNoSamples);

        var marked = BugMarkers.Read(sample).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(CatalogRules.Order(StringComparer.Ordinal), marked.Order(StringComparer.Ordinal));
    }
}
