using System.Collections.Generic;
using DriverBuffers.Analyzers.Engine;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>The solver's worklist: lowest ordinal first, each block queued once, and no allocation per block queued.</summary>
public class BlockWorklistTests
{
    [Fact]
    public void TakesLowestOrdinalFirst_EachQueuedBlockOnce_AcrossWords()
    {
        var worklist = new BlockWorklist(200);
        foreach (var ordinal in new[] { 130, 5, 64, 199, 5, 63, 0, 130 })
        {
            worklist.Add(ordinal);
        }

        var taken = new List<int>();
        while (worklist.TryTakeFirst(out var ordinal))
        {
            taken.Add(ordinal);
            if (ordinal == 64)
            {
                worklist.Add(3); // a back edge: a block before the one just taken is queued again
                worklist.Add(70);
            }
        }

        Assert.Equal(new[] { 0, 5, 63, 64, 3, 70, 130, 199 }, taken);
        Assert.False(worklist.TryTakeFirst(out _));
    }

    [Fact]
    public void EveryBitPosition_IsTakenInOrder()
    {
        var worklist = new BlockWorklist(200);
        for (var ordinal = 199; ordinal >= 0; ordinal--)
        {
            worklist.Add(ordinal);
        }

        for (var expected = 0; expected < 200; expected++)
        {
            Assert.True(worklist.TryTakeFirst(out var ordinal));
            Assert.Equal(expected, ordinal);
        }

        Assert.False(worklist.TryTakeFirst(out _));
    }

    [Fact]
    public void QueuingAndTaking_AllocateNothing()
    {
        var worklist = new BlockWorklist(1_000);
        Assert.Equal(0, AllocatedBytes.Fewest(() => Cycle(worklist)));

        static void Cycle(BlockWorklist worklist)
        {
            for (var round = 0; round < 3; round++)
            {
                for (var ordinal = 999; ordinal >= 0; ordinal -= 7)
                {
                    worklist.Add(ordinal);
                }

                while (worklist.TryTakeFirst(out _))
                {
                }
            }
        }
    }
}
