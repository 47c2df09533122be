using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// How a shared analysis is computed at most once per method body and read by every rule that asks, whichever analyzer
/// class it is in. Analyzers run concurrently and each visits every body once (an operation block action): the first
/// visit that wants the result computes it, later ones get the same object, and the entry is dropped once every
/// consumer registered for the compilation (<see cref="AddConsumer"/>, at compilation start) has visited the body, so
/// results do not pile up for a whole build. Thread-safe; a cancelled computation leaves nothing behind.
/// </summary>
internal sealed class SharedBodyResults<TResult>
    where TResult : class
{
    private readonly ConcurrentDictionary<IOperation, Entry> _bodies = new();
    private readonly EngineTelemetry _telemetry;
    private int _consumers;

    public SharedBodyResults(EngineTelemetry telemetry) => _telemetry = telemetry;

    /// <summary>An analyzer that reads these results registered for the compilation; it will visit every body once.</summary>
    public void AddConsumer() => Interlocked.Increment(ref _consumers);

    /// <summary>
    /// One consumer's visit of <paramref name="body"/>: the result when <paramref name="wanted"/> (computed by
    /// <paramref name="compute"/> now, or by another consumer before; null when it computed none), null when not wanted.
    /// </summary>
    public TResult? Visit(IOperation body, bool wanted, Func<TResult?> compute)
    {
        var entry = _bodies.GetOrAdd(body, _ => new Entry());
        try
        {
            if (!wanted)
            {
                _telemetry.BodyScreenedOut();
                return null;
            }

            lock (entry)
            {
                if (entry.Computed)
                {
                    _telemetry.SharedResultReused();
                    return entry.Result;
                }

                entry.Result = compute();
                entry.Computed = true;
                return entry.Result;
            }
        }
        finally
        {
            if (Interlocked.Increment(ref entry.Visits) >= Volatile.Read(ref _consumers))
            {
                _bodies.TryRemove(body, out _);
            }
        }
    }

    private sealed class Entry
    {
        public int Visits;

        public bool Computed;

        public TResult? Result;
    }
}
