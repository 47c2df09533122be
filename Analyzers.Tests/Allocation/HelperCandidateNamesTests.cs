using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Analyses.Pool;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>
/// The possible pool helpers of a compilation (<see cref="HelperCandidateNames"/>) are collected once, also when the
/// analyzer driver's threads reach their first bodies together: they wait for one collection instead of each reading every
/// tree's declarations again.
/// </summary>
public class HelperCandidateNamesTests
{
    private const int Trees = 12;
    private const int Threads = 8;

    [Fact]
    public void ThreadsThatAskTogether_WaitForOneCollection_AndGetOneAnswer()
    {
        var compilation = AnalyzerHarness.Compile(Enumerable.Range(0, Trees).Select(i => ($"Driver{i}.cs", Source(i))));
        using var scope = EngineTelemetry.Capture(out var telemetry); // this test's counts, not those of tests running beside it
        var session = AnalysisSession.For(compilation)!;
        var names = new HelperCandidateNames(session);
        var callers = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(m => m.Identifier.ValueText.StartsWith("Caller", System.StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(Trees, callers.Length);

        var answers = new ConcurrentBag<bool>();
        using var start = new Barrier(Threads);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            start.SignalAndWait();
            answers.Add(names.Mentioned(callers[i % callers.Length], default));
        });

        Assert.Same(telemetry, session.Telemetry);
        Assert.Equal(1, telemetry.HelperNamesCollected);
        Assert.Equal(Threads, answers.Count);
        Assert.All(answers, Assert.True);
    }

    [Fact]
    public void ABodyThatNamesNoHelper_IsNotMentioned()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("Driver0.cs", Source(0)) });
        var names = new HelperCandidateNames(AnalysisSession.For(compilation)!);
        var other = compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Single(m => m.Identifier.ValueText == "Unrelated0");

        Assert.False(names.Mentioned(other, default));
    }

    private static string Source(int i) => $$"""
        static class Driver{{i}}
        {
            const uint Tag = 0x6c656548;

            static void Release{{i}}(PVOID block) => ExFreePoolWithTag(block, Tag);

            static void Caller{{i}}()
            {
                PVOID block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
                Release{{i}}(block);
            }

            static int Unrelated{{i}}(int x) => x + {{i}};
        }
        """;
}
