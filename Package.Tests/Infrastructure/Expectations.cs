using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>Assertions shared by the tests that compare a build's findings with the sample's bug markers.</summary>
public static class Expectations
{
    public const string SkipNoRules = "No rule marked in samples/BuggyDriver is implemented by the analyzers yet.";

    /// <summary>
    /// The build reported exactly the marked bugs: one diagnostic per marker, at its file and line, with its ID
    /// and the given severity, and no DRV diagnostic anywhere else.
    /// </summary>
    public static void AssertFindingsMatchMarkers(IReadOnlyList<BugMarker> markers, IReadOnlyList<BuildDiagnostic> ours, string severity, ProcessResult build)
    {
        var expected = markers.Select(m => $"{m.FileName}({m.Line}): {m.Id}").OrderBy(s => s, StringComparer.Ordinal).ToList();
        var actual = ours.Select(d => $"{d.FileName}({d.Line}): {d.Id}").OrderBy(s => s, StringComparer.Ordinal).ToList();

        var missing = expected.Except(actual).ToList();
        var unexpected = actual.Except(expected).ToList();
        Assert.True(
            missing.Count == 0 && unexpected.Count == 0 && expected.Count == actual.Count,
            $"Marked bugs not reported: [{string.Join(", ", missing)}]\n" +
            $"Reported without a marker: [{string.Join(", ", unexpected)}]\n" +
            $"Reported (with duplicates): [{string.Join(", ", actual)}]\n" + build.Describe(40));

        foreach (var diagnostic in ours)
        {
            Assert.True(diagnostic.Severity == severity, $"Expected a {severity}: {diagnostic}");
        }
    }

    /// <summary>
    /// The analyzers loaded and ran: no CS8032 (an analyzer could not be created), CS9057 (it references a newer
    /// compiler than the host's), AD0001 (an analyzer threw) or CS8033 (an analyzer assembly without analyzers).
    /// </summary>
    public static void AssertAnalyzersLoaded(string buildOutput)
    {
        foreach (var id in new[] { "CS8032", "CS9057", "AD0001", "CS8033" })
        {
            Assert.DoesNotContain(id, buildOutput, StringComparison.Ordinal);
        }
    }
}
