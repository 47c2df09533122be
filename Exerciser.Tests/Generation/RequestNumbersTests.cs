using DriverBuffers.Exercising.Generation;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Generation;

public class RequestNumbersTests
{
    [Theory]
    [InlineData("17", new[] { 17 })]
    [InlineData("3,17", new[] { 3, 17 })]
    [InlineData("3,4", new[] { 3, 4 })]
    [InlineData("12-17", new[] { 12, 13, 14, 15, 16, 17 })]
    [InlineData("0,2-4,9", new[] { 0, 2, 3, 4, 9 })]
    public void Format_writes_what_TryParse_reads(string text, int[] numbers)
    {
        Assert.Equal(text, RequestNumbers.Format(numbers));
        Assert.Null(RequestNumbers.TryParse(text, out var parsed));
        Assert.Equal(numbers, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("1-2-3")]
    [InlineData("-4")]
    public void Malformed_lists_are_refused(string text)
    {
        Assert.NotNull(RequestNumbers.TryParse(text, out var parsed));
        Assert.Null(parsed);
    }
}
