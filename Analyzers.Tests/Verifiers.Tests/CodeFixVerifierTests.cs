using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<DriverBuffers.Analyzers.Tests.Verifiers.Tests.BadNameAnalyzer, DriverBuffers.Analyzers.Tests.Verifiers.Tests.RenameFix>;

namespace DriverBuffers.Analyzers.Tests.Verifiers.Tests;

public class CodeFixVerifierTests
{
    private const string Source = """
        class C
        {
            int Bad, Good, Better;

            int M() => [|Bad|] /* keep me */ + [|Bad|];
        }
        """;

    private const string Fixed = """
        class C
        {
            int Bad, Good, Better;

            int M() => Good /* keep me */ + Good;
        }
        """;

    [Fact]
    public Task FixPassesIterativelyAndWithFixAll()
        => Verify.VerifyCodeFixAsync(Source, Fixed);

    [Fact]
    public Task FixWithExplicitDiagnostics()
        => Verify.VerifyCodeFixAsync(
            "class C { int Bad, Good; int M() => Bad; }",
            Verify.Diagnostic().WithSpan(1, 37, 1, 40).WithSpan(1, 15, 1, 18).WithArguments("Bad"),
            "class C { int Bad, Good; int M() => Good; }");

    [Fact]
    public async Task IterationCountsAreChecked()
    {
        await new Verify.Test { TestCode = Source, FixedCode = Fixed, NumberOfIncrementalIterations = 2, NumberOfFixAllIterations = 1 }.RunAsync();

        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => new Verify.Test { TestCode = Source, FixedCode = Fixed, NumberOfIncrementalIterations = 3 }.RunAsync());
        Assert.Contains("Iterative code fix: expected 3 iteration(s), but 2 were applied", e.Message, StringComparison.Ordinal);

        var notConverged = await Assert.ThrowsAnyAsync<VerifierException>(
            () => new Verify.Test { TestCode = Source, FixedCode = Fixed, NumberOfIncrementalIterations = 1 }.RunAsync());
        Assert.Contains("Iterative code fix: did not converge", notConverged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task FixOneComparesOneFixWithFixedCodeAndFixAllWithBatchFixedCode()
        => new Verify.Test
        {
            TestCode = Source,
            FixedCode = Fixed.Replace("+ Good", "+ {|#0:Bad|}", StringComparison.Ordinal),
            FixedState = { ExpectedDiagnostics = { Verify.Diagnostic().WithLocation(0).WithSpan(3, 9, 3, 12).WithArguments("Bad") } },
            BatchFixedCode = Fixed,
            CodeFixTestBehaviors = CodeFixTestBehaviors.FixOne,
        }.RunAsync();

    [Fact]
    public async Task CodeActionIndexAndEquivalenceKeyPickTheAction()
    {
        var better = Fixed.Replace("Good /*", "Better /*", StringComparison.Ordinal).Replace("+ Good", "+ Better", StringComparison.Ordinal);
        await new Verify.Test { TestCode = Source, FixedCode = better, CodeActionIndex = 1 }.RunAsync();
        await new Verify.Test { TestCode = Source, FixedCode = better, CodeActionEquivalenceKey = "Better" }.RunAsync();
        await new Verify.Test { TestCode = Source, FixedCode = better, CodeActionIndex = 1, CodeActionEquivalenceKey = "Better" }.RunAsync();
        await Assert.ThrowsAnyAsync<VerifierException>(
            () => new Verify.Test { TestCode = Source, FixedCode = better, CodeActionIndex = 0, CodeActionEquivalenceKey = "Better" }.RunAsync());
        await Assert.ThrowsAnyAsync<VerifierException>(() => Verify.VerifyCodeFixAsync(Source, better));
    }

    [Fact]
    public async Task NestedActionsAreFlattened()
    {
        await new CSharpCodeFixVerifier<BadNameAnalyzer, NestedRenameFix>.Test { TestCode = Source, FixedCode = Fixed }.RunAsync();
        var better = Fixed.Replace("Good /*", "Better /*", StringComparison.Ordinal).Replace("+ Good", "+ Better", StringComparison.Ordinal);
        await new CSharpCodeFixVerifier<BadNameAnalyzer, NestedRenameFix>.Test { TestCode = Source, FixedCode = better, CodeActionIndex = 1 }.RunAsync();
    }

    [Fact]
    public async Task RemainingDiagnosticsMustBeExpectedInFixedState()
    {
        const string source = """
            class C
            {
                int Bad, Good;

                int Keep() => [|Bad|];

                int M() => [|Bad|];
            }
            """;
        const string fixedSource = """
            class C
            {
                int Bad, Good;

                int Keep() => [|Bad|];

                int M() => Good;
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource);

        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => Verify.VerifyCodeFixAsync(source, fixedSource.Replace("[|Bad|]", "Bad", StringComparison.Ordinal)));
        Assert.Contains("FixedState: diagnostics mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoFixOfferedMeansUnchangedSource()
    {
        const string source = "class C { int Bad; int Keep() => [|Bad|]; }";
        await Verify.VerifyCodeFixAsync(source, source);
        await new Verify.Test { TestCode = source }.RunAsync();
    }

    [Fact]
    public async Task WrongFixedCodeFailsWithADiff()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => Verify.VerifyCodeFixAsync(Source, Fixed.Replace("+ Good", "+  Good", StringComparison.Ordinal)));
        Assert.Contains("Iterative code fix: /0/Test0.cs differs from the expected fixed code.", e.Message, StringComparison.Ordinal);
        Assert.Contains("First difference at line 5 of the expected text.", e.Message, StringComparison.Ordinal);
        Assert.Contains("-     int M() => Good /* keep me */ +  Good;\n+     int M() => Good /* keep me */ + Good;", e.Message.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixThatLosesACommentFails()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => CSharpCodeFixVerifier<BadNameAnalyzer, TriviaLosingFix>.VerifyCodeFixAsync(Source, Fixed));
        Assert.Contains("Iterative code fix: /0/Test0.cs differs", e.Message, StringComparison.Ordinal);
        Assert.Contains("-     int M() => Good /* keep me */ + Good;\n+     int M() => Good + Good;", e.Message.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixThatBreaksTheBuildFails()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => CSharpCodeFixVerifier<BadNameAnalyzer, CompileErrorFix>.VerifyCodeFixAsync(
                "class C { int Bad; int M() => [|Bad|]; }",
                "class C { int Bad; int M() => Missing; }"));
        Assert.Contains("FixedState: diagnostics mismatch", e.Message, StringComparison.Ordinal);
        Assert.Contains("DiagnosticResult.CompilerError(\"CS0103\")", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixWithoutFixAllProviderFailsUnlessSkipped()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => CSharpCodeFixVerifier<BadNameAnalyzer, NoFixAllFix>.VerifyCodeFixAsync(Source, Fixed));
        Assert.Contains("Fix All in Document: NoFixAllFix.GetFixAllProvider() returned null", e.Message, StringComparison.Ordinal);

        await new CSharpCodeFixVerifier<BadNameAnalyzer, NoFixAllFix>.Test
        {
            TestCode = Source,
            FixedCode = Fixed,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
        }.RunAsync();
    }

    [Fact]
    public async Task WrongFixAllResultNamesThePhase()
    {
        var e = await Assert.ThrowsAnyAsync<VerifierException>(
            () => CSharpCodeFixVerifier<BadNameAnalyzer, WrongFixAllFix>.VerifyCodeFixAsync(Source, Fixed));
        Assert.Contains("Fix All in Document: /0/Test0.cs differs", e.Message, StringComparison.Ordinal);

        var project = await Assert.ThrowsAnyAsync<VerifierException>(
            () => new CSharpCodeFixVerifier<BadNameAnalyzer, WrongFixAllFix>.Test
            {
                TestCode = Source,
                FixedCode = Fixed,
                CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInDocumentCheck,
            }.RunAsync());
        Assert.Contains("Fix All in Project: /0/Test0.cs differs", project.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixAllInProjectFixesEveryDocumentInOnePass()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    "partial class C { int Bad, Good; int M() => [|Bad|]; }",
                    ("/0/Second.cs", "partial class C { int N() => [|Bad|] + [|Bad|]; }"),
                },
            },
            FixedState =
            {
                Sources =
                {
                    "partial class C { int Bad, Good; int M() => Good; }",
                    ("/0/Second.cs", "partial class C { int N() => Good + Good; }"),
                },
            },
            NumberOfIncrementalIterations = 3,
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfFixAllInProjectIterations = 1,
        };
        await test.RunAsync();

        // A wrong fixed state of the second document fails.
        test.FixedState.Sources[1] = ("/0/Second.cs", SourceText.From("partial class C { int N() => Good + Bad; }"));
        await Assert.ThrowsAnyAsync<VerifierException>(() => test.RunAsync());
    }
}
