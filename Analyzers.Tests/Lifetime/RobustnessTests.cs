using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// No analyzer exception on code being typed (every line-prefix of each sample file) or on pathological input
/// (thousands of nested blocks).
/// </summary>
public class RobustnessTests
{
    /// <summary>The valid-code corpus, the reference scenario, and the repository's samples when present.</summary>
    public static IEnumerable<object[]> SampleFiles()
    {
        var files = Directory.GetFiles(ValidCodeTests.ValidCodeFolder, "*.cs").Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
        files.Add(("ReferenceScenario2.cs", ReferenceScenarioTests.Scenario2));
        files.AddRange(Directory.GetFiles(Twins.LifetimeTwinTests.TwinFolder(), "*Driver.cs").Select(f => ("Twins/" + Path.GetFileName(f), File.ReadAllText(f))));
        var samples = Path.Combine(AnalyzerHarness.RepositoryRoot(), "samples");
        if (Directory.Exists(samples))
        {
            files.AddRange(Directory.GetFiles(samples, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) &&
                            !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Select(f => (Path.GetRelativePath(samples, f), File.ReadAllText(f))));
        }

        return files.OrderBy(f => f.Item1, StringComparer.Ordinal).Select(f => new object[] { f.Item1, f.Item2 });
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public async Task EveryLinePrefix_NoAnalyzerException(string name, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var analyzers = AnalyzerHarness.AllAnalyzers();
        var prefix = new StringBuilder();
        var failures = new List<string>();
        foreach (var line in lines)
        {
            prefix.Append(line).Append('\n');
            var compilation = AnalyzerHarness.Compile(new[] { ("/0/" + name, prefix.ToString()) });
            var result = await AnalyzerHarness.RunAsync(compilation, analyzers);
            failures.AddRange(result.Exceptions);
        }

        Assert.True(lines.Length > 1);
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(2500, "if (Length > {0}) {{\n", "WdfRequestComplete(Request, STATUS_SUCCESS);\n")]
    [InlineData(2500, "{{\n", "WdfRequestComplete(Request, STATUS_SUCCESS);\n")]
    [InlineData(400, "try {{\n", "WdfRequestComplete(Request, STATUS_SUCCESS);\n")]
    public async Task ThousandsOfNestedBlocks_NoAnalyzerException(int depth, string open, string inner)
    {
        var body = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            body.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, open, i);
        }

        body.Append(inner);
        var close = open.StartsWith("try", StringComparison.Ordinal) ? "} finally { buffer.Write<byte>(0, 1); }\n" : "}\n";
        for (var i = 0; i < depth; i++)
        {
            body.Append(close);
        }

        var source = "class Driver {\nvoid EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
                     "WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);\n" + body + "}\n}\n";
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Deep.cs", source) });

        var result = await AnalyzerHarness.RunAsync(compilation, AnalyzerHarness.AllAnalyzers());

        Assert.Empty(result.Exceptions);
    }
}
