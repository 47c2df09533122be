using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DriverBuffers.Exercising.Sources;

namespace DriverBuffers.Exercising.Reporting;

/// <summary>
/// The report as SARIF 2.1: one result per distinct violation (level error, with the verdict, DDI and replay as
/// properties), and each static finding the run did not reach as a note.
/// </summary>
public static class SarifReport
{
    public static void Write(ExerciseReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "driverbuffers exercise");
        json.WriteString("informationUri", "https://github.com/driverbuffers/driverbuffers");
        json.WriteStartArray("rules");
        foreach (var rule in report.Violations.Select(v => v.Rule).Concat(report.NotExercised.Select(f => f.Rule)).Distinct().Order(StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("id", rule);
            if (rule.StartsWith("DRV", StringComparison.Ordinal))
            {
                json.WriteString("helpUri", $"https://github.com/driverbuffers/driverbuffers/blob/main/docs/rules/{rule}.md");
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var violation in report.Violations)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", violation.Rule);
            json.WriteString("level", "error");
            WriteMessage(json, violation.Message);
            WriteLocation(json, violation.Location);
            json.WriteStartObject("properties");
            json.WriteString("kind", "violation");
            json.WriteString("ddi", violation.Ddi);
            json.WriteString("verdict", violation.Verdict);
            json.WriteString("replay", TextReport.ReplayCommand(report, violation));
            json.WriteBoolean("replayVerified", violation.ReplayVerified);
            json.WriteNumber("occurrences", violation.Occurrences);
            json.WriteBoolean("atUnload", violation.AtUnload);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        foreach (var finding in report.NotExercised)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", finding.Rule);
            json.WriteString("level", "note");
            WriteMessage(json, $"not exercised: {finding.Message}");
            WriteLocation(json, finding.Location);
            json.WriteStartObject("properties");
            json.WriteString("kind", "notExercised");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartObject("properties");
        json.WriteNumber("seed", report.Seed);
        json.WriteNumber("threads", report.Threads);
        json.WriteNumber("requestsSent", report.RequestsSent);
        json.WriteEndObject();

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject("message");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter json, SourceLocation? location)
    {
        json.WriteStartArray("locations");
        if (location is not null)
        {
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", Path.IsPathFullyQualified(location.DisplayPath) ? new Uri(location.DisplayPath).AbsoluteUri : location.DisplayPath);
            json.WriteEndObject();
            json.WriteStartObject("region");
            json.WriteNumber("startLine", location.Line);
            json.WriteNumber("startColumn", location.Column);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
