using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// The project of the IDE-path measurement: a driver document of about 2,000 lines (a control queue with a
/// 120-case IOCTL switch and a function with field-held requests) inside a project of about 100k lines
/// (ordinary code, field-held requests, copy-heavy code, loops, helper chains, IOCTL switches, 100-statement
/// methods). <see cref="Edited"/> gives the compilation after one small edit of the document.
/// </summary>
public sealed class IdeProject
{
    public const string DocumentName = "EditedDocument/DriverDocument.cs";

    /// <summary>The text the edits change: a literal inside one case of the document's switch.</summary>
    private const string EditAnchor = "ctx.Counter + 96u";

    /// <summary>The cases of the document's switch: with the field-request function, about 2,000 lines.</summary>
    private const int DocumentCases = 120;

    private readonly CSharpCompilation _compilation;
    private readonly SyntaxTree _document;

    private IdeProject(CSharpCompilation compilation, SyntaxTree document, int lines, int documentLines)
    {
        _compilation = compilation;
        _document = document;
        Lines = lines;
        DocumentLines = documentLines;
    }

    public int Lines { get; }

    public int DocumentLines { get; }

    public static IdeProject Create(int projectLines = 100_000)
    {
        var document = SourceWriter.DriverFile("EditedDocument");
        IoctlSwitchGenerator.WriteClass(document, 0, DocumentCases);
        document.Line();
        FieldRequestsGenerator.WriteClass(document, 0);
        var documentFile = SourceFile.From(DocumentName, document);

        var rest = projectLines - documentFile.Lines;
        var parts = new (string Name, IShapeGenerator Generator, double Share)[]
        {
            ("Ordinary", new OrdinaryCodeGenerator(), 0.40),
            ("FieldRequests", new FieldRequestsGenerator(), 0.25),
            ("CopyHeavy", new CopyHeavyGenerator(), 0.15),
            ("LoopsGoto", new LoopsWithGotoGenerator(), 0.06),
            ("HelperChains", new HelperChainGenerator(), 0.06),
            ("Ioctl", new IoctlSwitchGenerator(), 0.05),
            ("Methods", new LongMethodGenerator(insideTry: false), 0.03),
        };
        var files = new List<SourceFile> { documentFile };
        foreach (var (name, generator, share) in parts)
        {
            var size = generator is LongMethodGenerator ? 100 : generator.SizeForLines((int)(rest * share), probeSize: 5);
            files.AddRange(generator.Generate(size, "Project" + name));
        }

        var compilation = CorpusCompilation.Create("IdeProject", files);
        var tree = compilation.SyntaxTrees.First(t => t.FilePath.EndsWith(DocumentName, System.StringComparison.Ordinal));
        return new IdeProject(compilation, tree, files.Sum(f => f.Lines), documentFile.Lines);
    }

    /// <summary>The whole project, unedited (to check that it compiles).</summary>
    public Compilation Compilation => _compilation;

    /// <summary>A new compilation in which the document has edit number <paramref name="edit"/>, and its new tree.</summary>
    public (Compilation Compilation, SyntaxTree Document) Edited(int edit)
    {
        var text = _document.GetText();
        var at = text.ToString().IndexOf(EditAnchor, System.StringComparison.Ordinal);
        var literal = new TextSpan(at + "ctx.Counter + ".Length, "96u".Length);
        var changed = _document.WithChangedText(text.WithChanges(new TextChange(literal, $"{96 + edit}u")));
        return (_compilation.ReplaceSyntaxTree(_document, changed), changed);
    }
}
