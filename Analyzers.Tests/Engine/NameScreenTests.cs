using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The syntactic pre-filters of bodies: a <see cref="NameScreen"/> answers for each body from its tree's
/// <see cref="SyntaxTreeIndex"/> (one scan per tree, one collection per tree and screen), exactly as a scan of the
/// body's tokens would; <see cref="BodyLambdas"/> finds every lambda and anonymous method of a body without walking it.
/// </summary>
public class NameScreenTests
{
    private const string Source = @"
using System;
using System.Linq;
class C
{
    int _f = new[] { 1 }.Count(x => x > 0);
    void Names(int WdfRequestComplete) { var x = WdfRequestComplete + 1; }
    void Other() { var text = ""WdfRequestComplete""; /* WdfRequestComplete */ }
    int Expression(int y) => y + 1;
    void Lambdas()
    {
        Func<int, Func<int, int>> outer = a => b => a + b;
        Action<int> anonymous = delegate (int v) { Func<int> inner = () => v; };
        var list = new[] { 1, 2 }.Where(n => n > 1).Select((n, i) => n + i).ToList();
        int Local(int q) { Func<int, int> nested = r => r * q; return nested(q); }
    }
    void None() { var a = 1; }
    int Helper(int h) => h;
    void Interpolated(int k) { var s = $""{Helper(k)} {(Func<int>)(() => Helper(2))} {$@""{k}""}""; }
}";

    [Fact]
    public void Passes_AnswersPerBodyFromOneIndexOfTheTree()
    {
        var (tree, _) = Compiled();
        var screen = new NameScreen(name => name == "WdfRequestComplete");
        var telemetry = new EngineTelemetry();

        bool PassesMethod(string name) => screen.Passes(Method(tree, name), telemetry, CancellationToken.None);

        Assert.True(PassesMethod("Names"));
        Assert.False(PassesMethod("Other"));    // a string or a comment is not an identifier
        Assert.False(PassesMethod("Expression"));
        Assert.False(PassesMethod("Lambdas"));
        Assert.False(PassesMethod("None"));
        Assert.Equal(1, telemetry.TreesIndexed);
        Assert.Equal(1, telemetry.ScreensCollected);
    }

    [Fact]
    public void Passes_AgreesWithAScanOfTheBodysTokens()
    {
        var (tree, _) = Compiled();
        var telemetry = new EngineTelemetry();
        // Also inside an interpolated string's holes, nested ones included (the index reads them from the tree).
        foreach (var name in new[] { "x", "Func", "v", "Count", "Local", "text", "Missing", "Helper", "k" })
        {
            var screen = new NameScreen(n => n == name);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var scanned = method.DescendantTokens().Any(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken) && t.ValueText == name);
                Assert.Equal(scanned, screen.Passes(method, telemetry, CancellationToken.None));
            }
        }
    }

    [Fact]
    public void BodyLambdas_FindsEveryLambdaOfTheBody_AsAWalkOfItsOperationsWould()
    {
        var (tree, model) = Compiled();
        var telemetry = new EngineTelemetry();
        foreach (var name in new[] { "Lambdas", "Names", "None", "Expression", "Interpolated" })
        {
            var body = model.GetOperation(Method(tree, name))!;
            var walked = body.Descendants().OfType<IAnonymousFunctionOperation>().Select(l => l.Symbol).ToList();
            var found = BodyLambdas.SymbolsOf(body, telemetry, CancellationToken.None).ToList();
            Assert.Equal(walked.Count, found.Count);
            Assert.All(walked, lambda => Assert.Contains(lambda, found, SymbolEqualityComparer.Default));
            Assert.Equal(walked.Any(l => l.Parameters.Length == 2), BodyLambdas.MayTake(body.Syntax, 2, telemetry, CancellationToken.None));
        }

        var all = BodyLambdas.SymbolsOf(model.GetOperation(Method(tree, "Lambdas"))!, telemetry, CancellationToken.None).ToList();
        Assert.Equal(7, all.Count); // a, b, the anonymous method, () inside it, n, (n, i), r inside the local function
        Assert.Equal(1, telemetry.TreesIndexed);
    }

    private static (SyntaxTree Tree, SemanticModel Model) Compiled()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Test0.cs", Source) });
        var tree = compilation.SyntaxTrees.First(t => t.FilePath == "/0/Test0.cs");
        return (tree, compilation.GetSemanticModel(tree));
    }

    private static MethodDeclarationSyntax Method(SyntaxTree tree, string name) =>
        tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == name);
}
