using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// The engine's fact-map lattice: it holds what a dictionary would, joins like the lattice says, returns the same
/// instance when nothing changes, walks only what differs, and kills exactly the paths an assignment invalidates.
/// </summary>
public class FactMapTests
{
    private static readonly IReadOnlyList<TrackedLocation> Locals = MakeLocals(600);

    [Fact]
    public void HoldsWhatADictionaryHolds_UnderRandomUpdates()
    {
        var random = new Random(1234);
        var map = FactMap<int>.Empty;
        var model = new Dictionary<TrackedLocation, int>();
        for (var step = 0; step < 20_000; step++)
        {
            var key = Locals[random.Next(Locals.Count)];
            if (random.Next(4) == 0)
            {
                map = map.Remove(key);
                model.Remove(key);
            }
            else
            {
                var value = random.Next(1, 8);
                map = map.SetItem(key, value, MaxLattice.Instance);
                model[key] = value;
            }
        }

        Assert.Equal(model.Count, map.Count);
        Assert.Equal(model.OrderBy(p => p.Key.Name).ToList(), map.OrderBy(p => p.Key.Name).ToList());
        foreach (var key in Locals)
        {
            Assert.Equal(model.TryGetValue(key, out var expected), map.TryGetValue(key, out var actual));
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>
    /// Maps of every size from one entry (one leaf) to past a full first level, built in different orders with removals on
    /// the way (so one holds a leaf where the other holds a branch): equal both ways, joined like a dictionary, and a diff
    /// that finds exactly the entries changed.
    /// </summary>
    [Fact]
    public void MapsBuiltDifferently_CompareJoinAndDiffByTheirEntries()
    {
        var random = new Random(4321);
        for (var size = 1; size <= 300; size += size < 40 ? 1 : 37)
        {
            var keys = Locals.OrderBy(_ => random.Next()).Take(size).ToList();
            var direct = FactMap<int>.Empty;
            foreach (var key in keys)
            {
                direct = direct.SetItem(key, 3, MaxLattice.Instance);
            }

            var roundabout = FactMap<int>.Empty;
            foreach (var key in Locals.Take(40).Concat(keys.AsEnumerable().Reverse()))
            {
                roundabout = roundabout.SetItem(key, 3, MaxLattice.Instance);
            }

            foreach (var key in Locals.Take(40).Where(k => !keys.Contains(k)))
            {
                roundabout = roundabout.Remove(key);
            }

            Assert.True(FactMap<int>.AreEqual(direct, roundabout, MaxLattice.Instance), $"size {size}");
            Assert.True(FactMap<int>.AreEqual(roundabout, direct, MaxLattice.Instance), $"size {size}");

            var changed = keys[random.Next(keys.Count)];
            var added = Locals.First(k => !keys.Contains(k));
            var other = roundabout.SetItem(changed, 6, MaxLattice.Instance).SetItem(added, 2, MaxLattice.Instance);
            Assert.False(FactMap<int>.AreEqual(direct, other, MaxLattice.Instance));

            var joined = FactMap<int>.Join(direct, other, MaxLattice.Instance);
            Assert.Equal(size + 1, joined.Count);
            Assert.Equal(6, joined.GetValueOrDefault(changed, 0));
            Assert.Equal(2, joined.GetValueOrDefault(added, 0));
            Assert.All(keys.Where(k => k != changed), k => Assert.Equal(3, joined.GetValueOrDefault(k, 0)));

            var incremental = FactMap<int>.JoinChanges(direct, direct, other, MaxLattice.Instance, limit: 1_000);
            Assert.NotNull(incremental);
            Assert.True(FactMap<int>.AreEqual(joined, incremental!, MaxLattice.Instance), $"size {size}");
        }
    }

    [Fact]
    public void JoinsLikeTheLattice_BothMissingEntryRules()
    {
        var random = new Random(99);
        for (var trial = 0; trial < 50; trial++)
        {
            var left = RandomMap(random, out var leftModel);
            var right = RandomMap(random, out var rightModel);

            var may = FactMap<int>.Join(left, right, MaxLattice.Instance);
            var must = FactMap<int>.Join(left, right, MustLattice.Instance);

            var expectedMay = new Dictionary<TrackedLocation, int>(leftModel);
            foreach (var pair in rightModel)
            {
                expectedMay[pair.Key] = expectedMay.TryGetValue(pair.Key, out var mine) ? Math.Max(mine, pair.Value) : pair.Value;
            }

            var expectedMust = leftModel.Where(p => rightModel.TryGetValue(p.Key, out var theirs) && theirs == p.Value)
                .ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(expectedMay.OrderBy(p => p.Key.Name), may.OrderBy(p => p.Key.Name));
            Assert.Equal(expectedMust.OrderBy(p => p.Key.Name), must.OrderBy(p => p.Key.Name));
            Assert.True(FactMap<int>.AreEqual(may, FactMap<int>.Join(right, left, MaxLattice.Instance), MaxLattice.Instance));
        }
    }

    /// <summary>
    /// States that reach one block one after the other, each a few updates past the last (the gotos of a cleanup label):
    /// joining each from what changed since the previous one gives what the full join gives, for "may" and "must" facts,
    /// and walks only what changed.
    /// </summary>
    [Fact]
    public void JoinChanges_AgreesWithJoin_AndWalksOnlyWhatChanged()
    {
        var random = new Random(7);
        foreach (var lattice in new FactLattice<int>[] { MaxLattice.Instance, MustLattice.Instance })
        {
            var state = Fill(FactMap<int>.Empty, 300);
            var previous = state;
            var full = state;
            var incremental = state;
            for (var edge = 0; edge < 200; edge++)
            {
                for (var update = random.Next(1, 4); update > 0; update--)
                {
                    var key = Locals[random.Next(Locals.Count)];
                    state = random.Next(5) == 0 ? state.Remove(key) : state.SetItem(key, random.Next(1, 8), lattice);
                }

                full = FactMap<int>.Join(full, state, lattice);
                using (EngineTelemetry.Capture(out var telemetry))
                using (WorkMeter.Start(0, telemetry))
                {
                    incremental = FactMap<int>.JoinChanges(incremental, previous, state, lattice, limit: 64) ?? FactMap<int>.Join(incremental, state, lattice);
                    Assert.True(telemetry.JoinEntries <= 64, $"walked {telemetry.JoinEntries} nodes for a few changes");
                }

                previous = state;
                Assert.True(FactMap<int>.AreEqual(full, incremental, lattice), $"edge {edge}");
            }
        }
    }

    [Fact]
    public void JoinChanges_GivesUpPastItsLimit()
    {
        var left = Fill(FactMap<int>.Empty, 300);
        var unrelated = FactMap<int>.Empty;
        foreach (var key in Locals.Take(300))
        {
            unrelated = unrelated.SetItem(key, 5, MaxLattice.Instance);
        }

        Assert.Null(FactMap<int>.JoinChanges(left, left, unrelated, MaxLattice.Instance, limit: 64));
    }

    [Fact]
    public void UnchangedStates_AreTheSameInstance()
    {
        var map = Fill(FactMap<int>.Empty, 100);

        Assert.Same(map, map.SetItem(Locals[3], map.GetValueOrDefault(Locals[3], 0), MaxLattice.Instance));
        Assert.Same(map, map.Remove(Locals[500]));
        Assert.Same(map, map.KillDependents(Locals[3]));
        Assert.Same(map, FactMap<int>.Join(map, map, MaxLattice.Instance));

        // A join that adds nothing to the left side returns the left side itself (the solver's fast path).
        var smaller = map.Remove(Locals[7]);
        Assert.Same(map, FactMap<int>.Join(map, smaller, MaxLattice.Instance));
    }

    /// <summary>
    /// <c>foreach</c> over a map (a struct cursor) visits every entry once, as the interface's enumeration does, for every
    /// shape from no entry and a lone leaf to three levels of branches; and it allocates nothing (the solver's joins
    /// enumerate maps at every block).
    /// </summary>
    [Fact]
    public void Foreach_VisitsEveryEntryOnce_AndAllocatesNothing()
    {
        foreach (var size in new[] { 0, 1, 2, 33, 600 })
        {
            var map = Fill(FactMap<int>.Empty, size);
            var seen = new List<KeyValuePair<TrackedLocation, int>>();
            foreach (var pair in map)
            {
                seen.Add(pair);
            }

            Assert.Equal(size, seen.Count);
            Assert.Equal(size, seen.Select(p => p.Key).Distinct().Count());
            Assert.Equal(((IEnumerable<KeyValuePair<TrackedLocation, int>>)map).ToList(), seen);
        }

        var full = Fill(FactMap<int>.Empty, 600);
        long total = 0;
        Assert.Equal(0, AllocatedBytes.Fewest(() => total = Sum(full)));
        Assert.Equal(((IEnumerable<KeyValuePair<TrackedLocation, int>>)full).Sum(p => (long)p.Value), total);

        static long Sum(FactMap<int> map)
        {
            long sum = 0;
            foreach (var pair in map)
            {
                sum += pair.Value;
            }

            return sum;
        }
    }

    /// <summary>
    /// A join whose result is one of its sides (a loop's state that gained nothing, a path that knows less) returns that
    /// side and allocates nothing: no merged branch is made before it is known to differ from both sides, and a leaf meeting
    /// a branch is not split to be compared.
    /// </summary>
    [Fact]
    public void JoinThatGivesOneSide_AllocatesNothing()
    {
        var big = Fill(FactMap<int>.Empty, 500);
        var knowsLess = big.Remove(Locals[7]).Remove(Locals[300]);
        var higher = big.SetItem(Locals[11], 9, MaxLattice.Instance);
        var lower = big.SetItem(Locals[11], 0, MaxLattice.Instance).SetItem(Locals[12], 0, MaxLattice.Instance);
        var single = FactMap<int>.Empty.SetItem(Locals[5], 1, MaxLattice.Instance);
        var withSingle = big.SetItem(Locals[5], 9, MaxLattice.Instance);

        Assert.Equal(0, AllocatedBytes.Fewest(JoinAll));

        void JoinAll()
        {
            Assert.Same(big, FactMap<int>.Join(big, knowsLess, MaxLattice.Instance));
            Assert.Same(big, FactMap<int>.Join(knowsLess, big, MaxLattice.Instance));
            Assert.Same(higher, FactMap<int>.Join(higher, lower, MaxLattice.Instance));
            Assert.Same(withSingle, FactMap<int>.Join(single, withSingle, MaxLattice.Instance));
        }
    }

    [Fact]
    public void JoinAndEquality_WalkOnlyWhatDiffers()
    {
        var big = Fill(FactMap<int>.Empty, 500);
        var left = big.SetItem(Locals[10], 7, MaxLattice.Instance);
        var right = big.SetItem(Locals[20], 7, MaxLattice.Instance);

        using var capture = EngineTelemetry.Capture(out var telemetry);
        using (WorkMeter.Start(0, telemetry))
        {
            var joined = FactMap<int>.Join(left, right, MaxLattice.Instance);
            Assert.Equal(7, joined.GetValueOrDefault(Locals[10], 0));
            Assert.Equal(7, joined.GetValueOrDefault(Locals[20], 0));
            Assert.False(FactMap<int>.AreEqual(left, right, MaxLattice.Instance));
        }

        // Two changed paths of a 500-entry map: a few dozen nodes, not the 500 entries.
        Assert.InRange(telemetry.JoinEntries, 1, 60);
    }

    [Fact]
    public void KillDependents_RemovesThePathsOfTheAssignedLocationOnly()
    {
        var paths = PathsOf("""
            class Context { public WDFREQUEST Reader; public Context Inner; }
            class Driver
            {
                Context Own;
                WDFREQUEST Pending;
                void M(Context ctx, Context other)
                {
                    var a = ctx.Reader; var b = ctx.Inner.Reader; var c = other.Reader; var d = Own.Reader; var e = Pending;
                }
            }
            """);
        var map = FactMap<int>.Empty;
        foreach (var path in paths.Values)
        {
            map = map.SetItem(path, 1, MaxLattice.Instance);
        }

        var ctx = paths["a"].Holder!;
        var killed = map.KillDependents(ctx);

        Assert.Equal("ctx", ctx.Name);
        Assert.Equal(new[] { "ctx.Reader", "ctx.Inner.Reader", "other.Reader", "Own.Reader", "Pending" }, new[] { "a", "b", "c", "d", "e" }.Select(n => paths[n].Name));
        Assert.False(killed.ContainsKey(paths["a"]));
        Assert.False(killed.ContainsKey(paths["b"]));
        Assert.True(killed.ContainsKey(paths["c"]));
        Assert.True(killed.ContainsKey(paths["d"]));
        Assert.True(killed.ContainsKey(paths["e"]));
        Assert.Same(killed, killed.KillDependents(ctx));
    }

    [Fact]
    public void KillDependents_RemovesDerivedValuesOfTheAssignedOperand()
    {
        var length = Locals[0];
        var offset = Locals[1];
        var other = Locals[2];
        var sum = TrackedLocation.Derived("+", ImmutableArray.Create(offset, length), null, "offset + length");
        var same = TrackedLocation.Derived("+", ImmutableArray.Create(offset, length), null, "offset + length");
        var unrelated = TrackedLocation.Derived("+", ImmutableArray.Create(offset, other), null, "offset + other");
        var map = FactMap<int>.Empty
            .SetItem(sum, 1, MaxLattice.Instance)
            .SetItem(unrelated, 1, MaxLattice.Instance)
            .SetItem(length, 1, MaxLattice.Instance);

        Assert.Equal(sum, same);
        Assert.True(map.ContainsKey(same));
        var killed = map.KillDependents(length);
        Assert.False(killed.ContainsKey(sum));
        Assert.True(killed.ContainsKey(unrelated));
        Assert.True(killed.ContainsKey(length));
        Assert.False(map.KillDependents(offset).ContainsKey(unrelated));
    }

    private static FactMap<int> RandomMap(Random random, out Dictionary<TrackedLocation, int> model)
    {
        var map = Fill(FactMap<int>.Empty, 200);
        model = map.ToDictionary(p => p.Key, p => p.Value);
        for (var i = 0; i < 40; i++)
        {
            var key = Locals[random.Next(300)];
            var value = random.Next(1, 5);
            map = map.SetItem(key, value, MaxLattice.Instance);
            model[key] = value;
        }

        return map;
    }

    private static FactMap<int> Fill(FactMap<int> map, int count)
    {
        for (var i = 0; i < count; i++)
        {
            map = map.SetItem(Locals[i], 1 + (i % 3), MaxLattice.Instance);
        }

        return map;
    }

    /// <summary>Locations of <paramref name="count"/> locals of one method.</summary>
    private static IReadOnlyList<TrackedLocation> MakeLocals(int count)
    {
        var body = new StringBuilder("class C { void M() {\n");
        for (var i = 0; i < count; i++)
        {
            body.Append("int v").Append(i).Append(" = ").Append(i).Append(";\n");
        }

        body.Append("} }");
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Locals.cs", body.ToString()) });
        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        return tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>()
            .Select(v => TrackedLocation.ForSymbol(model.GetDeclaredSymbol(v)!))
            .ToList();
    }

    /// <summary>The locations the initializers of a source's locals refer to, by the local's name.</summary>
    internal static Dictionary<string, TrackedLocation> PathsOf(string source)
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Paths.cs", source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        var catalog = AnalysisSession.For(compilation)!.Catalog;
        var result = new Dictionary<string, TrackedLocation>();
        foreach (var declarator in tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (declarator.Initializer is { } initializer &&
                model.GetOperation(initializer.Value) is { } value &&
                TrackedLocation.TryCreate(value is IConversionOperation conversion ? conversion.Operand : value, catalog.ContextTypeOf) is { } location)
            {
                result[declarator.Identifier.ValueText] = location;
            }
        }

        return result;
    }

    /// <summary>Facts joined by maximum; an absent entry adds nothing (a "may" lattice).</summary>
    private sealed class MaxLattice : FactLattice<int>
    {
        public static readonly MaxLattice Instance = new();

        public override bool AreEqual(int left, int right) => left == right;

        public override int Join(int left, int right) => Math.Max(left, right);
    }

    /// <summary>Facts kept only where both sides agree (a "must" lattice: an absent entry drops the fact).</summary>
    private sealed class MustLattice : FactLattice<int>
    {
        public static readonly MustLattice Instance = new();

        public override bool AreEqual(int left, int right) => left == right;

        public override int Join(int left, int right) => left == right ? left : 0;

        public override bool JoinWithAbsent(int fact, out int joined)
        {
            joined = 0;
            return false;
        }

        public override bool AbsentKeepsFacts => false;

        public override bool IsAbsent(int fact) => fact == 0;
    }
}
