using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>
/// The <c>.editorconfig</c> options of the request-lifetime analysis (documented in <c>docs/configuration.md</c>):
/// <c>driverbuffers.helper_depth</c> and <c>driverbuffers.completion_helpers</c>.
/// </summary>
internal sealed class LifetimeOptions
{
    public const string HelperDepthKey = "driverbuffers.helper_depth";
    public const string CompletionHelpersKey = "driverbuffers.completion_helpers";
    public const int DefaultHelperDepth = 3;
    public const int MaxHelperDepth = 8;

    public static readonly LifetimeOptions Default = new(DefaultHelperDepth, ImmutableHashSet<string>.Empty);

    public LifetimeOptions(int helperDepth, ImmutableHashSet<string> completionHelpers)
    {
        HelperDepth = helperDepth;
        CompletionHelpers = completionHelpers;
    }

    /// <summary>How many levels of helper calls the analysis follows (0: none).</summary>
    public int HelperDepth { get; }

    /// <summary>Full names (<c>Namespace.Type.Method</c>) of methods that complete their first <c>WDFREQUEST</c> argument.</summary>
    public ImmutableHashSet<string> CompletionHelpers { get; }

    public static LifetimeOptions Read(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        var depth = DefaultHelperDepth;
        if (config.TryGetValue(HelperDepthKey, out var depthText) &&
            int.TryParse(depthText.Trim(), out var parsed))
        {
            depth = Math.Max(0, Math.Min(MaxHelperDepth, parsed));
        }

        var helpers = ImmutableHashSet<string>.Empty;
        if (config.TryGetValue(CompletionHelpersKey, out var helperText))
        {
            foreach (var name in helperText.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                helpers = helpers.Add(name.Trim());
            }
        }

        return depth == DefaultHelperDepth && helpers.IsEmpty ? Default : new LifetimeOptions(depth, helpers);
    }

    /// <summary>True when the option names <paramref name="method"/> as a completion helper.</summary>
    public bool IsCompletionHelper(IMethodSymbol method) =>
        !CompletionHelpers.IsEmpty &&
        CompletionHelpers.Contains(method.ContainingType.ToDisplayString() + "." + method.Name);
}
