using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Analyzers.Analyses.Sizes;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Copies;

/// <summary>
/// The size analysis' bound sets (<see cref="BoundSet"/>): they hold what a hash set would under random updates, small or
/// past the size where they build a lookup table; compare as sets whatever the order; and return the same instance when
/// an operation changes nothing (the lattice's "nothing changed" fast path relies on it).
/// </summary>
public class BoundSetTests
{
    [Fact]
    public void HoldsWhatAHashSetHolds_UnderRandomUpdates()
    {
        var random = new Random(4321);
        var set = BoundSet.Empty;
        var model = new HashSet<Bound>();
        for (var step = 0; step < 5_000; step++)
        {
            var bound = Bound.Of((ulong)random.Next(40));
            switch (random.Next(5))
            {
                case 0:
                    set = set.Remove(bound);
                    model.Remove(bound);
                    break;
                case 1:
                    var others = Enumerable.Range(0, random.Next(6)).Select(_ => Bound.Of((ulong)random.Next(40))).ToList();
                    set = set.Union(others);
                    model.UnionWith(others);
                    break;
                case 2:
                    var keep = BoundSet.From(Enumerable.Range(0, 30).Select(_ => Bound.Of((ulong)random.Next(40))));
                    set = set.Intersect(keep);
                    model.IntersectWith(keep);
                    break;
                default:
                    set = set.Add(bound);
                    model.Add(bound);
                    break;
            }

            Assert.Equal(model.Count, set.Count);
            Assert.True(model.SetEquals(set), $"step {step}");
            Assert.All(Enumerable.Range(0, 40).Select(i => Bound.Of((ulong)i)), b => Assert.Equal(model.Contains(b), set.Contains(b)));
        }
    }

    [Fact]
    public void ComparesAsASet_WhateverTheOrder()
    {
        var forward = BoundSet.From(Enumerable.Range(0, 20).Select(i => Bound.Of((ulong)i)));
        var backward = BoundSet.From(Enumerable.Range(0, 20).Reverse().Select(i => Bound.Of((ulong)i)));
        Assert.True(forward.SetEquals(backward));
        Assert.False(forward.SetEquals(backward.Remove(Bound.Of(7))));
        Assert.False(forward.Remove(Bound.Of(3)).SetEquals(backward.Remove(Bound.Of(7))));
    }

    [Fact]
    public void ChangesNothing_ReturnsTheSameInstance()
    {
        var set = BoundSet.From(new[] { Bound.Of(1), Bound.Of(2), Bound.Of(3) });
        Assert.Same(set, set.Add(Bound.Of(2)));
        Assert.Same(set, set.Remove(Bound.Of(9)));
        Assert.Same(set, set.Union(new[] { Bound.Of(1), Bound.Of(3) }));
        Assert.Same(set, set.Union(BoundSet.Empty));
        Assert.Same(set, set.Intersect(set));
        Assert.Same(set, set.Where(b => b.Constant < 10));
        Assert.Same(BoundSet.Empty, set.Where(b => b.Constant > 10));
    }

    [Fact]
    public void AConstantWrittenAsANameKeepsItsText_OtherwiseItsValue()
    {
        Assert.Equal("MAX_REPORT", Bound.Of(64, "MAX_REPORT").Text);
        Assert.Equal("64", Bound.Of(64).Text);
        Assert.Equal(Bound.Of(64), Bound.Of(64, "MAX_REPORT"));
        Assert.Equal(64UL, BoundSet.From(new[] { Bound.Of(128), Bound.Of(64, "MAX_REPORT") }).SmallestConstant());
        Assert.Null(BoundSet.Empty.SmallestConstant());
    }
}
