using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// How a shared analysis is computed at most once per method body and read by every rule that asks, whichever analyzer
/// class it is in. Analyzers run concurrently and each visits every body once: the first visit that wants the result
/// computes it, later ones get the same object. A visit that does not want it costs nothing here but a count, so code
/// that no rule wants (ordinary code) touches no shared table. Results are kept with the body's operation tree (a weak
/// table keyed by it): the analyzer driver drops a tree's operation trees once the tree is analyzed, and the results go
/// with them, so they do not pile up for a whole build. Thread-safe; a cancelled computation leaves nothing behind.
/// </summary>
internal sealed class SharedBodyResults<TResult>
    where TResult : class
{
    private static readonly ConditionalWeakTable<IOperation, Entry>.CreateValueCallback NewEntry = _ => new Entry();

    private readonly ConditionalWeakTable<IOperation, Entry> _bodies = new();
    private readonly EngineTelemetry _telemetry;

    public SharedBodyResults(EngineTelemetry telemetry) => _telemetry = telemetry;

    /// <summary>
    /// One consumer's visit of <paramref name="body"/>: the result when <paramref name="wanted"/> (computed by
    /// <paramref name="compute"/> now, or by another consumer before; null when it computed none), null when not wanted.
    /// </summary>
    public TResult? Visit(IOperation body, bool wanted, Func<TResult?> compute) =>
        Visit(body, wanted, compute, static c => c());

    /// <summary>
    /// As <see cref="Visit(IOperation, bool, Func{TResult})"/>, with what the computation needs passed as
    /// <paramref name="state"/> to a <c>static</c> lambda: a visit that does not want the result allocates nothing (a
    /// lambda capturing the caller's parameters would allocate its closure on every visit, wanted or not).
    /// </summary>
    public TResult? Visit<TState>(IOperation body, bool wanted, TState state, Func<TState, TResult?> compute)
    {
        if (!wanted)
        {
            _telemetry.BodyScreenedOut();
            return null;
        }

        var entry = _bodies.GetValue(body, NewEntry);
        lock (entry)
        {
            if (entry.Computed)
            {
                _telemetry.SharedResultReused();
                return entry.Result;
            }

            entry.Result = compute(state);
            entry.Computed = true;
            return entry.Result;
        }
    }

    private sealed class Entry
    {
        public bool Computed;

        public TResult? Result;
    }
}
