using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DriverBuffers.Package.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Package.Tests;

/// <summary>
/// A user's project that references the DriverBuffers package (restored from the packed folder) and holds the
/// buggy sample's code: what <c>dotnet build</c> prints and what <c>-p:ErrorLog</c> writes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConsumerBuildTests(EndToEndFixture fixture)
{
    [SkippableFact]
    public void Build_prints_every_marked_bug_with_file_line_id_and_help_link()
    {
        var markers = fixture.RequireImplementedMarkers();
        var build = fixture.BuggyClient;

        Assert.True(build.Result.Succeeded, "Warnings must not fail the build: " + build.Result.Describe());
        var ours = BuildDiagnostics.Ours(build.Result.Output);
        Expectations.AssertFindingsMatchMarkers(markers, ours, "warning", build.Result);
        foreach (var diagnostic in ours)
        {
            Assert.True(File.Exists(diagnostic.File), $"The reported file does not exist: {diagnostic.File}");
            Assert.StartsWith(build.Project.Directory, diagnostic.File, StringComparison.Ordinal);
            Assert.Equal(fixture.Catalog.Rules[diagnostic.Id].HelpLinkUri, diagnostic.HelpLink);
            Assert.EndsWith($"/docs/rules/{diagnostic.Id}.md", diagnostic.HelpLink, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Analyzers_load_in_this_sdk_without_a_load_or_analyzer_failure()
    {
        fixture.AssertPacked();
        var project = fixture.HasSamples ? fixture.BuggyClient.Project : fixture.NewEmptyConsumer("Load");
        var output = fixture.HasSamples ? fixture.BuggyClient.Result.Output : project.Build().Output;

        Expectations.AssertAnalyzersLoaded(output);

        Assert.Contains("analyzers/dotnet/cs/DriverBuffers.Analyzers.dll", File.ReadAllText(
            Path.Combine(project.Directory, "obj", "project.assets.json")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Sarif_log_carries_our_rule_metadata_help_links_and_results()
    {
        var markers = fixture.RequireImplementedMarkers();
        var build = fixture.BuggyClient;
        Assert.True(File.Exists(build.SarifPath), "No SARIF log was written: " + build.Result.Describe());

        using var sarif = JsonDocument.Parse(File.ReadAllText(build.SarifPath));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = Assert.Single(sarif.RootElement.GetProperty("runs").EnumerateArray());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r);

        foreach (var id in markers.Select(m => m.Id).Distinct())
        {
            var descriptor = fixture.Catalog.Rules[id];
            Assert.True(rules.TryGetValue(id, out var rule), $"{id} has no rule entry in the SARIF log.");
            Assert.Equal(descriptor.HelpLinkUri, rule.GetProperty("helpUri").GetString());
            Assert.Equal(descriptor.Title.ToString(), rule.GetProperty("shortDescription").GetProperty("text").GetString());
            var description = descriptor.Description.ToString();
            if (description.Length > 0)
            {
                Assert.Equal(description, rule.GetProperty("fullDescription").GetProperty("text").GetString());
            }

            Assert.Equal(descriptor.Category, rule.GetProperty("properties").GetProperty("category").GetString());
        }

        var results = run.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("DRV", StringComparison.Ordinal))
            .Select(r =>
            {
                var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
                var file = Path.GetFileName(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!);
                var line = location.GetProperty("region").GetProperty("startLine").GetInt32();
                return $"{file}({line}): {r.GetProperty("ruleId").GetString()} {r.GetProperty("level").GetString()}";
            })
            .OrderBy(s => s, StringComparer.Ordinal);
        var expected = markers.Select(m => $"{m.FileName}({m.Line}): {m.Id} warning").OrderBy(s => s, StringComparer.Ordinal);
        Assert.Equal(expected, results);
    }

    /// <summary>docs/configuration.md: on an up-to-date project only a build with --no-incremental writes the SARIF log.</summary>
    [SkippableFact]
    public void Sarif_log_of_an_up_to_date_project_needs_no_incremental_as_the_docs_say()
    {
        fixture.RequireImplementedMarkers();
        var project = fixture.BuggyClient.Project;
        var incremental = Path.Combine(project.Directory, "incremental.sarif");
        var full = Path.Combine(project.Directory, "full.sarif");

        var skipped = project.Dotnet("build", project.ProjectFile, "--no-restore", $"-p:ErrorLog={incremental}%2Cversion=2.1");
        var rebuilt = project.Dotnet("build", project.ProjectFile, "--no-restore", "--no-incremental", $"-p:ErrorLog={full}%2Cversion=2.1");

        Assert.True(skipped.Succeeded, skipped.Describe());
        Assert.False(File.Exists(incremental), "An up-to-date build ran the compiler: the docs' --no-incremental advice is no longer needed.");
        Assert.True(rebuilt.Succeeded, rebuilt.Describe());
        Assert.True(File.Exists(full), "dotnet build --no-incremental -p:ErrorLog=... wrote no SARIF log: " + rebuilt.Describe());
    }
}
