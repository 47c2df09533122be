using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using TwoRules = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Tests.Verifiers.Tests.TwoRuleAnalyzer>;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Tests.Verifiers.Tests.BadNameAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Verifiers.Tests;

public class AnalyzerVerifierTests
{
    private const string OneBadUse = """
        class C
        {
            int M()
            {
                int Bad = 1;
                return Bad;
            }
        }
        """;

    private static string Mark(string source, string markup) => source.Replace("return Bad;", $"return {markup};", StringComparison.Ordinal);

    [Fact]
    public Task SquareBracketMarkupExpectsTheSingleDescriptor()
        => Verify.VerifyAnalyzerAsync(Mark(OneBadUse, "[|Bad|]"));

    [Fact]
    public Task IdMarkupExpectsThatId()
        => Verify.VerifyAnalyzerAsync(Mark(OneBadUse, "{|TST001:Bad|}"));

    [Fact]
    public async Task IdMarkupWithWrongIdFails()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyAnalyzerAsync(Mark(OneBadUse, "{|TST002:Bad|}")));
        Assert.Contains("ID: expected TST002, actual TST001", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task NumberedMarkupGivesPrimaryAndAdditionalLocations()
        => Verify.VerifyAnalyzerAsync(
            """
            class C
            {
                int M()
                {
                    int {|#1:Bad|} = 1;
                    return {|#0:Bad|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Bad"));

    [Fact]
    public async Task WrongAdditionalLocationFailsUnlessIgnored()
    {
        const string source = """
            class C
            {
                int M()
                {
                    int {|#1:Bad|} = 1;
                    return {|#0:Bad|};
                }
            }
            """;
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic().WithLocation(0).WithLocation(0).WithArguments("Bad")));
        Assert.Contains("additional locations: expected [/0/Test0.cs(6,16)-(6,19)], actual [/0/Test0.cs(5,13)-(5,16)]", e.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAnyAsync<VerifierException>(
            () => Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("Bad")));
        Assert.Contains("additional locations: expected [], actual [/0/Test0.cs(5,13)-(5,16)]", missing.Message, StringComparison.Ordinal);

        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("Bad").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
    }

    [Fact]
    public Task NestedMarkupGivesEachSpan()
        => TwoRules.VerifyAnalyzerAsync(
            """
            {|TST010:class Foo
            {
                void {|#0:Bar|}() { }
            }|}
            """,
            TwoRules.Diagnostic("TST011").WithLocation(0).WithArguments("Bar"));

    [Fact]
    public async Task SquareBracketMarkupNeedsASingleDescriptor()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TwoRules.VerifyAnalyzerAsync("[|class Foo { }|]"));
        Assert.Contains("TST010, TST011", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => TwoRules.Diagnostic());
    }

    [Fact]
    public async Task UnclosedMarkupIsAnError()
        => await Assert.ThrowsAsync<InvalidOperationException>(() => Verify.VerifyAnalyzerAsync(Mark(OneBadUse, "[|Bad")));

    [Fact]
    public async Task SpansLinesAndColumnsAreOneBased()
    {
        await Verify.VerifyAnalyzerAsync(OneBadUse, Verify.Diagnostic().WithSpan(6, 16, 6, 19).WithSpan(5, 13, 5, 16).WithArguments("Bad"));
        await Verify.VerifyAnalyzerAsync(OneBadUse, Verify.Diagnostic().WithLocation(6, 16).WithLocation(5, 13).WithArguments("Bad"));
        await Assert.ThrowsAnyAsync<VerifierException>(
            () => Verify.VerifyAnalyzerAsync(OneBadUse, Verify.Diagnostic().WithSpan(6, 16, 6, 18).WithSpan(5, 13, 5, 16).WithArguments("Bad")));
    }

    [Fact]
    public async Task ArgumentsAndMessageAreChecked()
    {
        var at = Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
        var source = Mark(OneBadUse, "{|#0:Bad|}");
        await Verify.VerifyAnalyzerAsync(source, at.WithArguments("Bad"));
        await Verify.VerifyAnalyzerAsync(source, at.WithMessage("Identifier 'Bad' should be renamed"));
        await Verify.VerifyAnalyzerAsync(source, new DiagnosticResult("TST001", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Bad").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        var wrongArgument = await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyAnalyzerAsync(source, at.WithArguments("Worse")));
        Assert.Contains("message: expected \"Identifier 'Worse' should be renamed\", actual \"Identifier 'Bad' should be renamed\"", wrongArgument.Message, StringComparison.Ordinal);

        var wrongMessage = await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyAnalyzerAsync(source, at.WithMessage("Something else")));
        Assert.Contains("message: expected \"Something else\"", wrongMessage.Message, StringComparison.Ordinal);

        var noArguments = await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyAnalyzerAsync(source, at));
        Assert.Contains("expects 1 argument(s), but 0 were given", noArguments.Message, StringComparison.Ordinal);

        var wrongRawArgument = await Assert.ThrowsAnyAsync<VerifierException>(
            () => Verify.VerifyAnalyzerAsync(source, new DiagnosticResult("TST001", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Worse").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)));
        Assert.Contains("arguments: expected [Worse], actual [Bad]", wrongRawArgument.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDiagnosticFails()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => Verify.VerifyAnalyzerAsync("class C { int Good; int M() => Good; }", Verify.Diagnostic().WithSpan(1, 32, 1, 36).WithArguments("Good")));
        Assert.Contains("expected 1, actual 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("Expected but not reported:", e.Message, StringComparison.Ordinal);
        Assert.Contains("TST001 Warning /0/Test0.cs(1,32)-(1,36): Identifier 'Good' should be renamed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnexpectedDiagnosticFailsWithAReadyToPasteExpectation()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyAnalyzerAsync(OneBadUse));
        Assert.Contains("Reported but not expected", e.Message, StringComparison.Ordinal);
        Assert.Contains("// /0/Test0.cs(6,16)-(6,19): warning TST001: Identifier 'Bad' should be renamed", e.Message, StringComparison.Ordinal);
        Assert.Contains("Diagnostic(\"TST001\").WithSpan(6, 16, 6, 19).WithSpan(5, 13, 5, 16).WithArguments(\"Bad\"),", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalyzerExceptionFails()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => CSharpAnalyzerVerifier<ThrowingAnalyzer>.VerifyAnalyzerAsync("class C { }"));
        Assert.Contains("AD0001", e.Message, StringComparison.Ordinal);
        Assert.Contains("Boom from ThrowingAnalyzer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedDescriptorFails()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => CSharpAnalyzerVerifier<UnsupportedDescriptorAnalyzer>.VerifyAnalyzerAsync("class C { }"));
        Assert.Contains("TST099", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedCodeIsSkipped()
    {
        static string Generated(string name) => $"class {name} {{ int Bad; int M() => Bad; }}";
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    "class C { int Bad; int M() => [|Bad|]; }",
                    ("Generated.g.cs", Generated("G1")),
                    ("/0/Other.cs", "// <auto-generated/>\n" + Generated("G2")),
                },
            },
        };
        await test.RunAsync();

        // The same code in a file that is not generated is analyzed.
        await Assert.ThrowsAnyAsync<VerifierException>(() => new Verify.Test { TestState = { Sources = { ("Plain.cs", Generated("G3")) } } }.RunAsync());
    }

    [Fact]
    public Task PragmaWarningDisableIsHonoured()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                int Bad;
            #pragma warning disable TST001
                int M() => Bad;
            #pragma warning restore TST001
                int N() => [|Bad|];
            }
            """);

    [Fact]
    public async Task EditorConfigSeverityApplies()
    {
        const string source = "class C { int Bad; int M() => {|#0:Bad|}; }";
        var expected = Verify.Diagnostic().WithLocation(0).WithSpan(1, 15, 1, 18).WithArguments("Bad");

        // Unmarked, the diagnostic would fail the test if it were reported.
        await WithSeverity("none", source.Replace("{|#0:Bad|}", "Bad", StringComparison.Ordinal)).RunAsync();
        await WithSeverity("silent", source.Replace("{|#0:Bad|}", "Bad", StringComparison.Ordinal)).RunAsync();
        await WithSeverity("error", source, expected.WithSeverity(DiagnosticSeverity.Error)).RunAsync();

        var e = await Assert.ThrowsAnyAsync<VerifierException>(() => WithSeverity("error", source, expected).RunAsync());
        Assert.Contains("severity: expected Warning, actual Error", e.Message, StringComparison.Ordinal);

        static Verify.Test WithSeverity(string severity, string source, params DiagnosticResult[] expected)
        {
            var test = new Verify.Test { TestCode = source };
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n[*.cs]\ndotnet_diagnostic.TST001.severity = {severity}"));
            test.ExpectedDiagnostics.AddRange(expected);
            return test;
        }
    }

    [Fact]
    public async Task GlobalAnalyzerConfigApplies()
    {
        var test = new Verify.Test
        {
            TestCode = "class C { int Bad; int M() => {|#0:Bad|}; }",
            TestState = { AnalyzerConfigFiles = { ("/.globalconfig", "is_global = true\ndotnet_diagnostic.TST001.severity = error") } },
            ExpectedDiagnostics = { Verify.Diagnostic().WithLocation(0).WithArguments("Bad").WithSeverity(DiagnosticSeverity.Error).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations) },
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task CompilerErrorsFailUnlessExpectedOrTurnedOff()
    {
        const string typing = "class C { int M() => Bad }";
        var e = await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyAnalyzerAsync(typing));
        Assert.Contains("DiagnosticResult.CompilerError(\"CS0103\")", e.Message, StringComparison.Ordinal);
        Assert.Contains("DiagnosticResult.CompilerError(\"CS1002\")", e.Message, StringComparison.Ordinal);

        await new Verify.Test { TestCode = typing, CompilerDiagnostics = CompilerDiagnostics.None }.RunAsync();
        await Verify.VerifyAnalyzerAsync(
            "class C { int M() => {|CS0103:Bad|} {|CS1002:}|}");
        await Verify.VerifyAnalyzerAsync(
            typing,
            DiagnosticResult.CompilerError("CS0103").WithSpan(1, 22, 1, 25).WithArguments("Bad"),
            DiagnosticResult.CompilerError("CS1002").WithLocation(1, 26));
    }

    [Fact]
    public async Task CompilerWarningsAreComparedOnlyWhenAskedFor()
    {
        const string source = "class C { void M() { int unused; } }";
        await Verify.VerifyAnalyzerAsync(source);
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => new Verify.Test { TestCode = source, CompilerDiagnostics = CompilerDiagnostics.Warnings }.RunAsync());
        Assert.Contains("CompilerWarning(\"CS0168\")", e.Message, StringComparison.Ordinal);
        await new Verify.Test
        {
            TestCode = source,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
            ExpectedDiagnostics = { DiagnosticResult.CompilerWarning("CS0168").WithSpan(1, 26, 1, 32).WithArguments("unused") },
        }.RunAsync();
    }

    [Fact]
    public async Task NullableWarningsAreErrors()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyAnalyzerAsync("class C { string s = null; }"));
        Assert.Contains("CS8625", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledDiagnosticsAreIgnored()
    {
        var test = new Verify.Test { TestCode = OneBadUse, DisabledDiagnostics = { "TST001" } };
        await test.RunAsync();
    }

    [Fact]
    public async Task SeveralSourcesKeepTheirNames()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    "partial class C { int Bad; }",
                    "partial class C { int M() => [|Bad|]; }",
                },
            },
            ExpectedDiagnostics = { Verify.Diagnostic().WithSpan("/0/Test1.cs", 1, 30, 1, 33).WithSpan("/0/Test0.cs", 1, 23, 1, 26).WithArguments("Bad") },
        };

        // The markup diagnostic and the explicit one are the same diagnostic, so one of them is too many.
        var e = await Assert.ThrowsAnyAsync<VerifierException>(() => test.RunAsync());
        Assert.Contains("expected 2, actual 1", e.Message, StringComparison.Ordinal);

        test.TestState.Sources[1] = ("/0/Test1.cs", Microsoft.CodeAnalysis.Text.SourceText.From("partial class C { int M() => Bad; }"));
        await test.RunAsync();
    }

    [Fact]
    public async Task ProjectHasDriverBuffersAndOptionalDriverUsings()
    {
        foreach (var include in new[] { true, false })
        {
            Project? seen = null;
            var test = new Verify.Test { TestCode = "class C { }", IncludeDriverUsings = include };
            test.SolutionTransforms.Add((solution, id) =>
            {
                seen = solution.GetProject(id);
                return solution;
            });
            await test.RunAsync();

            Assert.NotNull(seen);
            Assert.Contains(seen.MetadataReferences.OfType<PortableExecutableReference>(), r => r.FilePath!.EndsWith("DriverBuffers.dll", StringComparison.Ordinal));
            Assert.Equal(LanguageVersion.Latest.MapSpecifiedToEffectiveVersion(), ((Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)seen.ParseOptions!).LanguageVersion);
            Assert.Equal(NullableContextOptions.Enable, seen.CompilationOptions!.NullableContextOptions);
            var hasUsings = seen.Documents.Any(d => d.Name == "DriverUsings.cs");
            Assert.Equal(include && TestProjectFactory.RuntimeHasDriverClasses, hasUsings);
        }
    }
}
