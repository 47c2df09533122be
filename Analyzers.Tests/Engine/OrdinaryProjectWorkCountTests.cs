using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// Issue 10's ordinary-code budget (a method that touches no API symbol costs no control-flow graph), pinned by counts:
/// a project of many trees of ordinary code (records, LINQ with lambdas, interpolated and verbatim strings, comments,
/// regions, a switch) under every analyzer of the package. Each tree is read once by the name index's own scanner (the
/// compiler's lexer is not needed), and then nothing grows with the code: no graph, no bound tree, no name bound, no
/// body walked, no summary, whatever the number of trees and bodies.
/// </summary>
public class OrdinaryProjectWorkCountTests
{
    private readonly ITestOutputHelper _output;

    public OrdinaryProjectWorkCountTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task AnOrdinaryProject_IsReadOnceByTheScanner_AndCostsNothingPerBody()
    {
        var analyzers = DriverBuffers.Analyzers.Tests.Integration.UnseenDriverTests.Analyzers.ToArray();
        var small = await EngineMeasure.RunAsync(Project(trees: 2), analyzers);
        var large = await EngineMeasure.RunAsync(Project(trees: 12), analyzers);
        _output.WriteLine($"2 trees: {small.Telemetry}");
        _output.WriteLine($"12 trees: {large.Telemetry}");

        Assert.Empty(large.Diagnostics);
        foreach (var measured in new[] { small, large })
        {
            var telemetry = measured.Telemetry;
            Assert.Equal(0, telemetry.TreesLexed);
            Assert.Equal(0, telemetry.GraphsBuilt);
            Assert.Equal(0, telemetry.BodiesAnalyzed);
            Assert.Equal(0, telemetry.BodiesWalked);
            Assert.Equal(0, telemetry.NamedNodesBound);
            Assert.Equal(0, telemetry.TreesBound);
            Assert.Equal(0, telemetry.IndexTreeVisits);
            Assert.Equal(0, telemetry.SummariesComputed);
            Assert.Equal(0, measured.Work);

            // No code names a DDI: the API's members are never loaded (the catalog is built on the first question by symbol).
            Assert.Equal(0, telemetry.CatalogsBuilt);
        }

        // One index per tree (the code's trees and the API's usings), never a second one.
        Assert.Equal(2 + 1, small.Telemetry.TreesIndexed);
        Assert.Equal(12 + 1, large.Telemetry.TreesIndexed);

        // Bodies are turned away by the screens (six times as many bodies, six times as many turned away).
        Assert.Equal(6 * small.Telemetry.BodiesScreenedOut, large.Telemetry.BodiesScreenedOut);
    }

    /// <summary><paramref name="trees"/> trees of ordinary code, four classes each.</summary>
    private static IEnumerable<(string Path, string Text)> Project(int trees)
    {
        for (var t = 0; t < trees; t++)
        {
            var text = new System.Text.StringBuilder("using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Text;\n\n#region Inventory\n");
            for (var c = 0; c < 4; c++)
            {
                text.Append(string.Format(CultureInfo.InvariantCulture, Class, t * 4 + c));
            }

            text.Append("#endregion\n");
            yield return ($"/0/Ordinary{t}.cs", text.ToString());
        }
    }

    private const string Class = """"
        public sealed record Setting{0}(string Name, string Value, int Line);

        /// <summary>Settings read from text: "name = value" lines, '#' comments.</summary>
        public sealed class Inventory{0}
        {{
            private readonly Dictionary<string, List<Setting{0}>> _byName = new(StringComparer.OrdinalIgnoreCase);
            private readonly List<string> _errors = new();

            public int Load(string text)
            {{
                var count = 0;
                var lines = text.Split('\n');
                for (var i = 0; i < lines.Length; i++)
                {{
                    var line = lines[i].Trim(); // a comment naming WdfRequestComplete is not code
                    if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) {{ continue; }}
                    var equals = line.IndexOf('=');
                    if (equals <= 0) {{ _errors.Add($"line {{i + 1}}: no '=' in '{{line}}' {{(equals < 0 ? "none" : "first")}}"); continue; }}
                    var setting = new Setting{0}(line.Substring(0, equals).Trim(), line.Substring(equals + 1).Trim(), i + 1);
                    if (!_byName.TryGetValue(setting.Name, out var list)) {{ list = new List<Setting{0}>(); _byName[setting.Name] = list; }}
                    list.Add(setting);
                    count++;
                }}

                return count;
            }}

            public IReadOnlyList<string> Duplicates() =>
                _byName.Where(pair => pair.Value.Count > 1)
                    .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => $"{{pair.Key}} ({{string.Join(", ", pair.Value.Select(s => s.Line))}}) {{pair.Value.Count,4:D2}}")
                    .ToList();

            public string Report()
            {{
                var report = new StringBuilder(@"C:\settings\ ""quoted""");
                foreach (var group in _byName.Values.SelectMany(list => list).GroupBy(s => s.Name.Length % 4))
                {{
                    report.Append("group ").Append(group.Key).Append(": ");
                    report.AppendLine(string.Join("; ", group.Select((s, index) => s.Name + "=" + s.Value + index)));
                }}

                Func<int, string> describe = delegate (int n) {{ return n.ToString(); }};
                var @checked = describe(_errors.Count);
                return report.Append(@checked).Append($@"{{_errors.Count}} ""errors""").ToString();
            }}

            public static string Describe(object? value) => value switch
            {{
                null => "(none)",
                int number when number < 0 => "negative " + (-number),
                string text => '"' + text.Replace("\"", "\\\"") + '"',
                _ => throw new ArgumentException("cannot describe " + value.GetType().Name, nameof(value)),
            }};
        }}

        """";
}
