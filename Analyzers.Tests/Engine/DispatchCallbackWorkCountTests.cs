using System.Collections.Generic;
using System.Linq;
using System.Text;
using DriverBuffers.Analyzers.Analyses.ExecutionLevel;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// What finding a DISPATCH_LEVEL callback's registration costs (DRV037's callback roots, <see cref="DispatchCallbackIndex"/>):
/// the symbols of the registering call and of its callback argument are asked, not the call's operation, which builds the
/// enclosing method's whole operation tree besides binding it. Under the analyzer driver the tree's model is the driver's
/// own (cached), so for a tree the driver analyzes anyway the difference is only who pays first; it is a saving for a tree
/// the driver does not analyze (the other trees of the IDE path). Pinned by the bytes the look-up allocates
/// (deterministic), never by time: in a nullable-enabled project, for a registration after 400 statements, 2,259,016
/// bytes against 3,303,344 for the call's operation (with a model that skipped nullable analysis, as in session 10:
/// 436,672 against 2,447,072).
/// </summary>
public class DispatchCallbackWorkCountTests
{
    private const int LongMethod = 400;

    private readonly ITestOutputHelper _output;

    public DispatchCallbackWorkCountTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void ARegistrationInALongMethod_IsFoundWithoutBuildingTheMethodsOperationTree()
    {
        var lookUp = RootAllocation(LongMethod);
        var operationTree = OperationTreeAllocation(LongMethod);
        _output.WriteLine($"after {LongMethod} statements: callback root {lookUp:N0} bytes; the registering call's operation {operationTree:N0} bytes");

        Assert.True(lookUp <= operationTree * 4 / 5, $"callback root {lookUp:N0} bytes, the call's operation {operationTree:N0} bytes");
    }

    [Fact]
    public void TheRegisteredCallbackIsARootAndAnUnregisteredOneIsNot()
    {
        var compilation = Compile(statements: 10);
        var analysis = ExecutionLevelAnalysis.For(AnalysisSession.For(compilation)!);

        var root = analysis.Callbacks.RootOf(Method(compilation, "OnCompletion"), default);
        Assert.NotNull(root);
        Assert.Contains("WdfRequestSetCompletionRoutine", root!.Description, System.StringComparison.Ordinal);
        Assert.Null(analysis.Callbacks.RootOf(Method(compilation, "NotRegistered"), default));
    }

    private static long RootAllocation(int statements)
    {
        // Fresh trees for every run (answers are kept with the tree objects); the name indexes, the declaration stamp and
        // the candidate trees are made before the count by asking about a name that has no registration.
        const int Runs = 3;
        var compilations = new Queue<Compilation>(Enumerable.Range(0, Runs + 1).Select(_ => Compile(statements)));
        foreach (var compilation in compilations)
        {
            var analysis = ExecutionLevelAnalysis.For(AnalysisSession.For(compilation)!);
            Assert.Null(analysis.Callbacks.RootOf(Method(compilation, "NotRegistered"), default));
        }

        return AllocatedBytes.Fewest(
            () =>
            {
                var compilation = compilations.Dequeue();
                Assert.NotNull(ExecutionLevelAnalysis.For(AnalysisSession.For(compilation)!).Callbacks.RootOf(Method(compilation, "OnCompletion"), default));
            },
            Runs);
    }

    /// <summary>What <c>GetOperation</c> on the registering call allocates in a fresh model of the tree (the old look-up's core).</summary>
    private static long OperationTreeAllocation(int statements)
    {
        const int Runs = 3;
        var compilations = new Queue<Compilation>(Enumerable.Range(0, Runs + 1).Select(_ => Compile(statements)));
        return AllocatedBytes.Fewest(
            () =>
            {
                var compilation = compilations.Dequeue();
                var tree = compilation.SyntaxTrees.First(t => t.FilePath == "Driver.cs");
                var call = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
                    .First(c => c.Expression.ToString() == "WdfRequestSetCompletionRoutine");
                Assert.NotNull(compilation.GetSemanticModel(tree).GetOperation(call));
            },
            Runs);
    }

    private static IMethodSymbol Method(Compilation compilation, string name) =>
        (IMethodSymbol)compilation.GetTypeByMetadataName("Driver")!.GetMembers(name).Single();

    private static Compilation Compile(int statements)
    {
        var source = new StringBuilder();
        source.AppendLine("static class Driver");
        source.AppendLine("{");
        source.AppendLine("    static int Counter;");
        source.AppendLine("    public static void Send(WDFREQUEST request, WDFIOTARGET target)");
        source.AppendLine("    {");
        for (var i = 0; i < statements; i++)
        {
            source.AppendLine($"        if (Counter > {i}) {{ Counter = Counter * {i + 2} + 1; }}");
        }

        source.AppendLine("        WdfRequestSetCompletionRoutine(request, OnCompletion, null);");
        source.AppendLine("        WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);");
        source.AppendLine("    }");
        source.AppendLine("    static void OnCompletion(WDFREQUEST request, WDFIOTARGET target, WDF_REQUEST_COMPLETION_PARAMS parameters, object? context) => WdfObjectDelete(request);");
        source.AppendLine("    static void NotRegistered(WDFREQUEST request, WDFIOTARGET target, WDF_REQUEST_COMPLETION_PARAMS parameters, object? context) => WdfObjectDelete(request);");
        source.AppendLine("}");
        return AnalyzerHarness.Compile(new[] { ("Driver.cs", source.ToString()) });
    }
}
