using System.Collections.Generic;
using System.Linq;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// Ordinary code that never touches the driver-buffer API, in a project that references it (a driver's
/// configuration parser, inventory and report tooling): records, lists and dictionaries, LINQ queries with
/// lambdas, string building and parsing, a switch, loops, exceptions. Size: classes (about 70 lines each).
/// <see cref="BesideDriverCode"/> adds the API's global usings, as a driver project has them: the project then names the
/// API, so the analyzers register their actions and every body of the ordinary code goes through their screens.
/// </summary>
public sealed class OrdinaryCodeGenerator : IShapeGenerator
{
    private const int ClassesPerFile = 10;

    private readonly bool _besideDriverCode;

    public OrdinaryCodeGenerator(bool besideDriverCode = false) => _besideDriverCode = besideDriverCode;

    /// <summary>True when the project names the API (its global usings in a file of their own), as a driver project does.</summary>
    public bool BesideDriverCode => _besideDriverCode;

    public string SizeUnit => "classes";

    public IReadOnlyList<SourceFile> Generate(int size, string nameSpace)
    {
        var files = Ordinary(size, nameSpace);
        if (!_besideDriverCode)
        {
            return files;
        }

        var usings = new SourceWriter();
        usings.Line("global using DriverBuffers;");
        usings.Line("global using static DriverBuffers.Wdf;");
        usings.Line("global using static DriverBuffers.Wdm;");
        return files.Append(SourceFile.From($"{nameSpace}/DriverUsings.cs", usings)).ToList();
    }

    private static IReadOnlyList<SourceFile> Ordinary(int size, string nameSpace)
    {
        return SourceFile.InFiles(size, ClassesPerFile, (file, first, end) =>
        {
            var w = new SourceWriter();
            w.Line("using System;");
            w.Line("using System.Collections.Generic;");
            w.Line("using System.Globalization;");
            w.Line("using System.Linq;");
            w.Line("using System.Text;");
            w.Line();
            w.Line($"namespace Corpus.{nameSpace};");
            w.Line();
            for (var c = first; c < end; c++)
            {
                WriteClass(w, c);
            }

            return SourceFile.From($"{nameSpace}/Inventory{file}.cs", w);
        });
    }

    private static void WriteClass(SourceWriter w, int c)
    {
        w.Line($"public sealed record Setting{c}(string Name, string Value, int Line);");
        w.Line();
        w.Open($"public sealed class Inventory{c}");
        w.Line($"private readonly Dictionary<string, List<Setting{c}>> _byName = new(StringComparer.OrdinalIgnoreCase);");
        w.Line("private readonly List<string> _errors = new();");
        w.Line();
        w.Open("public int Load(string text)");
        w.Statement("var count = 0;");
        w.Statement("var lines = text.Split('\\n');");
        w.Open("for (var i = 0; i < lines.Length; i++)");
        w.Statement("var line = lines[i].Trim();");
        w.Statement("if (line.Length == 0 || line.StartsWith(\"#\", StringComparison.Ordinal)) { continue; }");
        w.Statement("var equals = line.IndexOf('=');");
        w.Statement("if (equals <= 0) { _errors.Add($\"line {i + 1}: no '=' in '{line}'\"); continue; }");
        w.Statement($"var setting = new Setting{c}(line.Substring(0, equals).Trim(), line.Substring(equals + 1).Trim(), i + 1);");
        w.Statement("if (!_byName.TryGetValue(setting.Name, out var list)) { list = new List<Setting" + c + ">(); _byName[setting.Name] = list; }");
        w.Statement("list.Add(setting);");
        w.Statement("count++;");
        w.Close();
        w.Statement("return count;");
        w.Close();
        w.Line();
        w.Line("public IReadOnlyList<string> Duplicates() =>");
        w.Line("    _byName.Where(pair => pair.Value.Count > 1)");
        w.Line("        .OrderBy(pair => pair.Key, StringComparer.Ordinal)");
        w.Line("        .Select(pair => $\"{pair.Key} ({string.Join(\", \", pair.Value.Select(s => s.Line))})\")");
        w.Line("        .ToList();");
        w.Line();
        w.Open("public int? Number(string name)");
        w.Statement("if (!_byName.TryGetValue(name, out var list)) { return null; }");
        w.Statement("var text = list[list.Count - 1].Value;");
        w.Statement("return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;");
        w.Close();
        w.Line();
        w.Open("public string Report()");
        w.Statement("var report = new StringBuilder();");
        w.Open("foreach (var group in _byName.Values.SelectMany(list => list).GroupBy(s => s.Name.Length % 4))");
        w.Statement("report.Append(\"group \").Append(group.Key).Append(\": \");");
        w.Statement("report.AppendLine(string.Join(\"; \", group.Select(s => s.Name + \"=\" + s.Value)));");
        w.Close();
        w.Open("foreach (var error in _errors)");
        w.Statement("report.Append(\"error: \").AppendLine(error);");
        w.Close();
        w.Statement("return report.ToString();");
        w.Close();
        w.Line();
        w.Open("public static string Describe(object? value)");
        w.Open("switch (value)");
        w.Line("case null:");
        w.Statement("    return \"(none)\";");
        w.Line("case int number when number < 0:");
        w.Statement("    return \"negative \" + (-number).ToString(CultureInfo.InvariantCulture);");
        w.Line("case string text:");
        w.Statement("    return '\"' + text.Replace(\"\\\"\", \"\\\\\\\"\") + '\"';");
        w.Line("case IEnumerable<int> numbers:");
        w.Statement($"    return \"[\" + string.Join(\",\", numbers.Where(n => n % {c % 7 + 2} != 0).Take(10)) + \"]\";");
        w.Line("default:");
        w.Statement("    throw new ArgumentException(\"cannot describe \" + value.GetType().Name, nameof(value));");
        w.Close();
        w.Close();
        w.Close();
        w.Line();
    }
}
