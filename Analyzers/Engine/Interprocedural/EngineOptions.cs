using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The interprocedural configuration every rule family honours, read once per syntax tree from <c>.editorconfig</c>
/// (documented in <c>docs/configuration.md</c>):
/// <list type="bullet">
/// <item><c>driverbuffers.helper_depth</c>: how many levels of helper calls summaries follow (default 3, at most 8,
/// 0 = none);</item>
/// <item><c>driverbuffers.completion_helpers</c>: methods the analysis cannot see into that complete their first
/// <c>WDFREQUEST</c> argument;</item>
/// <item><c>driverbuffers.work_budget</c>: the work units one body's analysis may spend before it is given up
/// (default <see cref="WorkMeter.DefaultBudget"/>; 0 = unlimited).</item>
/// </list>
/// </summary>
internal sealed class EngineOptions
{
    public const string HelperDepthKey = "driverbuffers.helper_depth";
    public const string CompletionHelpersKey = "driverbuffers.completion_helpers";
    public const string WorkBudgetKey = "driverbuffers.work_budget";
    public const int DefaultHelperDepth = 3;
    public const int MaxHelperDepth = 8;

    /// <summary>Parsed once per <see cref="AnalyzerConfigOptions"/> instance: the compiler hands out one per syntax tree.</summary>
    private static readonly ConditionalWeakTable<AnalyzerConfigOptions, EngineOptions> ByTree = new();

    public static readonly EngineOptions Default = new(DefaultHelperDepth, ImmutableHashSet<string>.Empty, WorkMeter.DefaultBudget);

    public EngineOptions(int helperDepth, ImmutableHashSet<string> completionHelpers, long workBudget)
    {
        HelperDepth = helperDepth;
        CompletionHelpers = completionHelpers;
        WorkBudget = workBudget;
    }

    /// <summary>How many levels of helper calls are followed (0: none).</summary>
    public int HelperDepth { get; }

    /// <summary>Full names (<c>Namespace.Type.Method</c>) of methods that complete their first <c>WDFREQUEST</c> argument.</summary>
    public ImmutableHashSet<string> CompletionHelpers { get; }

    /// <summary>The work budget of one body (0: unlimited).</summary>
    public long WorkBudget { get; }

    /// <summary>The options that apply to <paramref name="tree"/>.</summary>
    public static EngineOptions For(AnalyzerOptions options, SyntaxTree tree) =>
        ByTree.GetValue(options.AnalyzerConfigOptionsProvider.GetOptions(tree), Parse);

    /// <summary>True when the option names <paramref name="method"/> as a completion helper.</summary>
    public bool IsCompletionHelper(IMethodSymbol method) =>
        !CompletionHelpers.IsEmpty &&
        CompletionHelpers.Contains(method.ContainingType.ToDisplayString() + "." + method.Name);

    private static EngineOptions Parse(AnalyzerConfigOptions config)
    {
        var depth = DefaultHelperDepth;
        if (config.TryGetValue(HelperDepthKey, out var depthText) && int.TryParse(depthText.Trim(), out var parsedDepth))
        {
            depth = Math.Max(0, Math.Min(MaxHelperDepth, parsedDepth));
        }

        var helpers = ImmutableHashSet<string>.Empty;
        if (config.TryGetValue(CompletionHelpersKey, out var helperText))
        {
            foreach (var name in helperText.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                helpers = helpers.Add(name.Trim());
            }
        }

        var budget = WorkMeter.DefaultBudget;
        if (config.TryGetValue(WorkBudgetKey, out var budgetText) && long.TryParse(budgetText.Trim(), out var parsedBudget))
        {
            budget = Math.Max(0, parsedBudget);
        }

        return depth == DefaultHelperDepth && helpers.IsEmpty && budget == WorkMeter.DefaultBudget
            ? Default
            : new EngineOptions(depth, helpers, budget);
    }
}
