using System;
using System.Linq;
using DriverBuffers.Package.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Package.Tests;

/// <summary><c>dotnet format analyzers</c> in a user's project: our code fixes applied in bulk from the package.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConsumerFormatTests(EndToEndFixture fixture)
{
    [SkippableFact]
    public void Dotnet_format_applies_our_fixes_and_the_project_then_builds_without_those_findings()
    {
        var markers = fixture.RequireImplementedMarkers();
        var fixable = markers.Select(m => m.Id).Where(fixture.Catalog.Fixable.Contains).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToList();
        Skip.If(fixable.Count == 0, "No code fix for a rule marked in samples/BuggyDriver is in the CodeFixes assembly yet.");
        var consumer = fixture.NewBuggyConsumer("Format");
        var before = consumer.ReadSources();

        var format = consumer.Dotnet(["format", "analyzers", consumer.ProjectFile, "--diagnostics", .. fixable, "--severity", "warn", "--no-restore"]);

        Assert.True(format.Succeeded, format.Describe());
        var after = consumer.ReadSources();
        Assert.True(
            before.Any(file => after[file.Key] != file.Value),
            $"dotnet format changed no file for {string.Join(", ", fixable)}: " + format.Describe());

        var build = consumer.Build();
        Assert.True(build.Succeeded, "The fixed code must build: " + build.Describe());
        var diagnostics = BuildDiagnostics.Parse(build.Output);
        Assert.DoesNotContain(diagnostics, d => d.Severity == "error");
        var left = diagnostics.Where(d => fixable.Contains(d.Id)).ToList();
        Assert.True(left.Count == 0, "Findings left after the fixes: " + string.Join("; ", left));
    }
}
