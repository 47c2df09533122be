#pragma warning disable RS1030 // cross-method facts: another tree of the same compilation is bound once per question and kept
using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// One tree's answers to a cross-method question (the registrations of a callback named X, the writes of members named
/// Y), bound once and kept with the tree object across compilations while their <see cref="DeclarationStamp"/> is the
/// same: after an IDE edit inside a method body, only the edited tree (a new object) is bound again, and every other
/// tree's answer is a lookup. An answer must not hold a symbol, an operation or a semantic model (they belong to one
/// compilation): symbols as <see cref="SymbolIds"/>, syntax as spans of the tree. Thread-safe: concurrent askers of one
/// question wait for one computation; a cancelled computation keeps nothing. One instance per kind of answer (a static
/// field of the analysis that asks).
/// </summary>
/// <typeparam name="TAnswer">The answer of one tree to one question, compilation-independent.</typeparam>
internal sealed class TreeFacts<TAnswer>
    where TAnswer : class
{
    private readonly ConditionalWeakTable<SyntaxTree, Entry> _entries = new();

    /// <summary>
    /// The answer of <paramref name="tree"/> to <paramref name="question"/> in <paramref name="session"/>'s compilation:
    /// kept from an earlier compilation with the same declarations, or computed now by <paramref name="compute"/> from
    /// the tree's semantic model (counted as a tree bound).
    /// <para>
    /// The model is the compilation's own (<c>Compilation.GetSemanticModel</c>): under the analyzer driver, the driver's
    /// cached model of the tree, the one its operation blocks of that tree are built from, so a body bound for an answer is
    /// not bound again for the driver's own analysis (nor the other way round). A separate model without nullable analysis
    /// (session 10's CrossTreeModel) made Reuse's own telemetry cheaper but bound each tree twice, once for the answer and
    /// once for the driver: in alternated whole runs its package run took more processor time, not less (medians of 3:
    /// field-requests-800 8,849 vs 7,773 ms with the driver's model, field-requests-40k 3,044 vs 2,993, handles-100 466 vs
    /// 408, the IDE path 405 vs 356), for 4 MB less allocation on field-requests-800 (640 vs 644) and 0.3 MB more per IDE
    /// edit (17.7 vs 17.4). Same diagnostics either way.
    /// </para>
    /// </summary>
    public TAnswer Get(
        AnalysisSession session, SyntaxTree tree, string question,
        Func<SemanticModel, CancellationToken, TAnswer> compute, CancellationToken cancellationToken)
    {
        var stamp = DeclarationStamp.Of(session.Compilation, session.Telemetry, cancellationToken);
        if (EntryOf(tree, stamp).Answers.TryGetValue(question, out var kept) && kept.IsValueCreated)
        {
            // The frequent case (every tree but the edited one): a look-up, no closure.
            session.Telemetry.TreeFactReused();
            return kept.Value;
        }

        return Compute(session, tree, stamp, question, compute, cancellationToken);
    }

    /// <summary><see cref="Get"/> when the answer is not kept yet: computed once, whoever asks at the same time.</summary>
    private TAnswer Compute(
        AnalysisSession session, SyntaxTree tree, ulong stamp, string question,
        Func<SemanticModel, CancellationToken, TAnswer> compute, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = EntryOf(tree, stamp);
            var created = false;
            var lazy = entry.Answers.GetOrAdd(question, _ =>
            {
                created = true;
                return new Lazy<TAnswer>(
                    () =>
                    {
                        session.Telemetry.TreeBound();
                        return compute(session.Compilation.GetSemanticModel(tree), cancellationToken);
                    },
                    LazyThreadSafetyMode.ExecutionAndPublication);
            });
            if (!created && lazy.IsValueCreated)
            {
                session.Telemetry.TreeFactReused();
            }

            try
            {
                return lazy.Value;
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the token of whoever started it: not kept; a caller whose own token is live computes again.
                ((System.Collections.Generic.ICollection<System.Collections.Generic.KeyValuePair<string, Lazy<TAnswer>>>)entry.Answers)
                    .Remove(new System.Collections.Generic.KeyValuePair<string, Lazy<TAnswer>>(question, lazy));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The tree's answers under <paramref name="stamp"/>: those kept, or a new empty set when the declarations changed.</summary>
    private Entry EntryOf(SyntaxTree tree, ulong stamp)
    {
        while (true)
        {
            var entry = _entries.TryGetValue(tree, out var existing) ? existing : NewEntry(tree, stamp);
            if (entry.Stamp == stamp)
            {
                return entry;
            }

            // The declarations changed since these were bound: start over (a concurrent asker under another stamp, e.g. a
            // linked file in two projects, may replace it again; each answer is still bound under its own stamp).
            lock (_entries)
            {
                if (_entries.TryGetValue(tree, out var current) && current == entry)
                {
                    _entries.Remove(tree);
                    _entries.Add(tree, new Entry(stamp));
                }
            }
        }
    }

    /// <summary>The entry of a tree not seen yet (apart from <see cref="EntryOf"/>: a tree seen before allocates no closure).</summary>
    private Entry NewEntry(SyntaxTree tree, ulong stamp) => _entries.GetValue(tree, _ => new Entry(stamp));

    private sealed class Entry
    {
        public Entry(ulong stamp) => Stamp = stamp;

        public ulong Stamp { get; }

        public ConcurrentDictionary<string, Lazy<TAnswer>> Answers { get; } = new(StringComparer.Ordinal);
    }
}
