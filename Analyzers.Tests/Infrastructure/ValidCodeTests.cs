using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Infrastructure;

/// <summary>
/// A body of valid driver code (<c>ValidCode/*.cs</c>) on which every analyzer of the Analyzers assembly (found by
/// reflection, so later rules are covered automatically) reports nothing.
/// </summary>
public class ValidCodeTests
{
    public static string ValidCodeFolder => Path.Combine(AppContext.BaseDirectory, "ValidCode");

    public static IEnumerable<object[]> Files() =>
        Directory.GetFiles(ValidCodeFolder, "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void TheCorpusIsThere() => Assert.True(Files().Count() >= 5);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task NoAnalyzerReportsAnything(string file)
    {
        var text = File.ReadAllText(Path.Combine(ValidCodeFolder, file));
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/" + file, text) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var result = await AnalyzerHarness.RunAsync(compilation, AnalyzerHarness.AllAnalyzers());

        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics.Select(d => d.ToString()));
    }
}
