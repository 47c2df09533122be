using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DriverBuffers.Benchmarks.Corpus;
using DriverBuffers.Benchmarks.Measurement;

namespace DriverBuffers.Benchmarks.Modes;

/// <summary>
/// The options of the quick modes: <c>--shapes a,b</c> (default: all), <c>--sets a,b</c> (set names, or one analyzer's type name; default: Floor, Package,
/// NetAnalyzers, IDisposableAnalyzers), <c>--timeout SECONDS</c> per analyzer run (default 180), <c>--no-ide</c>,
/// <c>--ide-only</c>, <c>--repeat N</c> (IDE edits, default 5), <c>--out FILE</c> (also write the report there).
/// </summary>
public sealed class Options
{
    public IReadOnlyList<CorpusShape> Shapes { get; private set; } = Corpus.Shapes.All;

    public IReadOnlyList<string> Sets { get; private set; } =
        new[] { AnalyzerSets.Floor, AnalyzerSets.Package, AnalyzerSets.NetAnalyzers, AnalyzerSets.IDisposableAnalyzers };

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(180);

    public bool Ide { get; private set; } = true;

    public bool ShapesToo { get; private set; } = true;

    public int Repeat { get; private set; } = 5;

    public string? Out { get; private set; }

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--shapes":
                    options.Shapes = Next().Split(',').Select(Corpus.Shapes.Get).ToList();
                    break;
                case "--sets":
                    options.Sets = Next().Split(',').Select(s => AnalyzerSets.Names.Contains(s) || AnalyzerSets.IsAnalyzerName(s) ? s : throw new ArgumentException($"No set '{s}'; the sets: {string.Join(", ", AnalyzerSets.Names)}")).ToList();
                    break;
                case "--timeout":
                    options.Timeout = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture));
                    break;
                case "--no-ide":
                    options.Ide = false;
                    break;
                case "--ide-only":
                    options.ShapesToo = false;
                    break;
                case "--repeat":
                    options.Repeat = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    options.Out = Next();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}");
            }
        }

        return options;
    }
}
