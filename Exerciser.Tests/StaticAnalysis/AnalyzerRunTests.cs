using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DriverBuffers.Exercising.Sources;
using DriverBuffers.Exercising.StaticAnalysis;
using Xunit;

namespace DriverBuffers.Exercising.Tests.StaticAnalysis;

/// <summary>The analyzers run in memory on a built driver's sources, found through its PDB.</summary>
public class AnalyzerRunTests
{
    [Fact]
    public void The_buggy_sample_is_flagged_exactly_on_its_marked_lines()
    {
        var assembly = BuiltDrivers.Sample("BuggyDriver");
        using var symbols = DriverSymbols.Open(assembly, [Path.GetDirectoryName(assembly)!])!;

        var result = AnalyzerRun.Analyze(symbols, assembly);

        Assert.Equal(0, result.CompilerErrors);
        Assert.Equal(Markers("BuggyDriver"), result.Findings.Select(f => (Path.GetFileName(f.Location.FilePath), f.Location.Line, f.Rule)).Order());
    }

    [Fact]
    public void The_correct_sample_has_no_finding()
    {
        var assembly = BuiltDrivers.Sample("CorrectDriver");
        using var symbols = DriverSymbols.Open(assembly, [Path.GetDirectoryName(assembly)!])!;

        var result = AnalyzerRun.Analyze(symbols, assembly);

        Assert.Equal(0, result.CompilerErrors);
        Assert.True(result.SourceFiles >= 4, $"{result.SourceFiles} source files");
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Every_analyzer_of_the_package_is_loaded()
    {
        var analyzers = AnalyzerRun.LoadAnalyzers();
        var rules = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();

        Assert.Contains("DRV001", rules);
        Assert.Contains("DRV044", rules);
        Assert.True(analyzers.Length >= 10, $"{analyzers.Length} analyzers");
    }

    /// <summary>The "// BUG DRVnnn" markers of a sample: file name, 1-based line, rule.</summary>
    internal static (string File, int Line, string Rule)[] Markers(string sample) =>
        Directory.GetFiles(BuiltDrivers.SampleDirectory(sample), "*.cs")
            .SelectMany(file => File.ReadAllLines(file).Select((text, index) => (file, text, index)))
            .SelectMany(l => Regex.Matches(l.text, @"// BUG (DRV\d{3})").Select(m => (Path.GetFileName(l.file), l.index + 1, m.Groups[1].Value)))
            .Order()
            .ToArray();
}
