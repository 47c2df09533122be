using System.Text;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>Writes one generated C# file line by line with four-space indentation, counting lines and statements.</summary>
public sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    /// <summary>The number of statements the generator declared with <see cref="Statement"/>.</summary>
    public int Statements { get; private set; }

    /// <summary>Starts a file of driver code: the API's usings and the shape's namespace.</summary>
    public static SourceWriter DriverFile(string nameSpace)
    {
        var writer = new SourceWriter();
        writer.Line("using System;");
        writer.Line("using DriverBuffers;");
        writer.Line("using static DriverBuffers.Wdf;");
        writer.Line("using static DriverBuffers.Wdm;");
        writer.Line();
        writer.Line($"namespace Corpus.{nameSpace};");
        writer.Line();
        return writer;
    }

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(text).Append('\n');
        return this;
    }

    /// <summary>A line that is one statement (counted).</summary>
    public SourceWriter Statement(string text)
    {
        Statements++;
        return Line(text);
    }

    /// <summary>Opens a block: <paramref name="header"/> then <c>{</c>.</summary>
    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Closes the innermost block with <c>}</c> followed by <paramref name="tail"/>.</summary>
    public SourceWriter Close(string tail = "")
    {
        _indent--;
        return Line("}" + tail);
    }

    public override string ToString() => _text.ToString();
}
