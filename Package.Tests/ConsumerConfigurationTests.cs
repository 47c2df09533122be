using System;
using System.IO;
using System.Linq;
using DriverBuffers.Package.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Package.Tests;

/// <summary>A user's project configuring the rules: <c>.editorconfig</c> severities and the analysis mode property.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConsumerConfigurationTests(EndToEndFixture fixture)
{
    [SkippableFact]
    public void Editorconfig_severity_error_fails_the_build_and_none_silences_the_rule()
    {
        var markers = fixture.RequireImplementedMarkers();
        var id = markers.Select(m => m.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).First();
        var consumer = fixture.NewBuggyConsumer("Severity");

        WriteEditorConfig(consumer, $"dotnet_diagnostic.{id}.severity = error");
        var raised = consumer.Build();
        Assert.False(raised.Succeeded, $"{id} raised to error must fail the build: " + raised.Describe());
        var raisedFindings = BuildDiagnostics.Ours(raised.Output);
        Expectations.AssertFindingsMatchMarkers(markers.Where(m => m.Id == id).ToList(), raisedFindings.Where(d => d.Id == id).ToList(), "error", raised);
        Assert.All(raisedFindings.Where(d => d.Id != id), d => Assert.Equal("warning", d.Severity));

        WriteEditorConfig(consumer, $"dotnet_diagnostic.{id}.severity = none");
        var silenced = consumer.Build();
        Assert.True(silenced.Succeeded, silenced.Describe());
        Expectations.AssertFindingsMatchMarkers(markers.Where(m => m.Id != id).ToList(), BuildDiagnostics.Ours(silenced.Output), "warning", silenced);
    }

    [SkippableFact]
    public void Analysis_mode_strict_makes_every_rule_an_error_and_none_turns_every_rule_off()
    {
        var markers = fixture.RequireImplementedMarkers();
        var consumer = fixture.NewBuggyConsumer("Modes");

        var strict = consumer.Build("-p:DriverBuffersAnalysisMode=strict");
        Assert.False(strict.Succeeded, "strict must fail the build on a finding: " + strict.Describe());
        Expectations.AssertFindingsMatchMarkers(markers, BuildDiagnostics.Ours(strict.Output), "error", strict);

        var none = consumer.Build("-p:DriverBuffersAnalysisMode=none");
        Assert.True(none.Succeeded, none.Describe());
        Assert.Empty(BuildDiagnostics.Ours(none.Output));

        // An .editorconfig entry for one rule wins over the mode.
        var id = markers[0].Id;
        WriteEditorConfig(consumer, $"dotnet_diagnostic.{id}.severity = none");
        var strictButOne = consumer.Build("-p:DriverBuffersAnalysisMode=strict");
        Expectations.AssertFindingsMatchMarkers(markers.Where(m => m.Id != id).ToList(), BuildDiagnostics.Ours(strictButOne.Output), "error", strictButOne);
    }

    [Fact]
    public void An_unknown_analysis_mode_is_a_build_error_that_names_the_modes()
    {
        fixture.AssertPacked();
        var consumer = fixture.NewEmptyConsumer("UnknownMode");

        var build = consumer.Build("-p:DriverBuffersAnalysisMode=strictest");

        Assert.False(build.Succeeded, build.Describe());
        Assert.Contains("DRVCFG01", build.Output, StringComparison.Ordinal);
        Assert.Contains("recommended, strict or none", build.Output, StringComparison.Ordinal);
    }

    private static void WriteEditorConfig(ConsumerProject consumer, string line) =>
        File.WriteAllText(Path.Combine(consumer.Directory, ".editorconfig"), $"[*.cs]\n{line}\n");
}
