using System.Linq;
using DriverBuffers.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.CodeFixes;

/// <summary>
/// Clients such as <c>dotnet format</c> compute diagnostics once and then apply one rule's fixes after another's,
/// so a fix can be handed a diagnostic located in an earlier version of its document.
/// </summary>
public class DiagnosticCallTests
{
    private const string Original = """
        class C
        {
            void M()
            {
                First();
                Target(1);
            }
            void First() { }
            void Target(int x) { }
        }
        """;

    private static Location LocationOfTarget(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Single(i => i.ToString().StartsWith("Target", System.StringComparison.Ordinal)).GetLocation();

    private static SyntaxTree Edit(SyntaxTree tree, string find, string replaceWith)
    {
        var text = tree.GetText();
        var start = text.ToString().IndexOf(find, System.StringComparison.Ordinal);
        return tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(start, find.Length), replaceWith)));
    }

    [Fact]
    public void Finds_the_call_in_the_same_tree()
    {
        var tree = CSharpSyntaxTree.ParseText(Original, path: "/0/Test0.cs");

        var call = DiagnosticCall.At(tree.GetRoot(), LocationOfTarget(tree));

        Assert.Equal("Target(1)", call?.ToString());
    }

    [Fact]
    public void Maps_a_location_of_an_earlier_version_past_lines_inserted_above_it()
    {
        var earlier = CSharpSyntaxTree.ParseText(Original, path: "/0/Test0.cs");
        var later = Edit(earlier, "First();", "First();\n        Inserted();\n        AndAnother();");

        var call = DiagnosticCall.At(later.GetRoot(), LocationOfTarget(earlier));

        Assert.NotNull(call);
        Assert.Equal("Target(1)", call!.ToString());
        Assert.Same(later, call.SyntaxTree);
    }

    [Fact]
    public void Gives_up_when_the_marked_call_itself_was_edited()
    {
        var earlier = CSharpSyntaxTree.ParseText(Original, path: "/0/Test0.cs");
        var later = Edit(earlier, "Target(1)", "Target(2)");

        Assert.Null(DiagnosticCall.At(later.GetRoot(), LocationOfTarget(earlier)));
    }

    [Fact]
    public void Gives_up_on_a_location_in_another_document()
    {
        var other = CSharpSyntaxTree.ParseText(Original, path: "/0/Other.cs");
        var tree = CSharpSyntaxTree.ParseText(Original, path: "/0/Test0.cs");

        Assert.Null(DiagnosticCall.At(tree.GetRoot(), LocationOfTarget(other)));
    }
}
