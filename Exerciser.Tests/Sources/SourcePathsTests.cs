using System.IO;
using DriverBuffers.Exercising.Sources;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Sources;

public class SourcePathsTests
{
    private static readonly string Sample = BuiltDrivers.SampleDirectory("BuggyDriver");
    private static readonly string BinFolder = Path.GetDirectoryName(BuiltDrivers.Sample("BuggyDriver"))!;

    [Fact]
    public void A_path_that_exists_is_used_as_it_is()
    {
        var file = Path.Combine(Sample, "EchoQueue.cs");

        Assert.Equal(file, SourcePaths.Find(file, []));
    }

    [Theory]
    [InlineData("/_/samples/BuggyDriver/EchoQueue.cs")]
    [InlineData("/_1/samples/BuggyDriver/EchoQueue.cs")]
    [InlineData(@"\_\samples\BuggyDriver\EchoQueue.cs")]
    public void A_path_mapped_by_a_reproducible_build_is_found_above_the_drivers_folder(string mapped)
    {
        Assert.Equal(Path.Combine(Sample, "EchoQueue.cs"), SourcePaths.Find(mapped, [BinFolder]));
    }

    [Theory]
    [InlineData("/_/samples/BuggyDriver/NoSuchFile.cs")]
    [InlineData("/elsewhere/EchoQueue.cs")]
    public void A_file_that_is_not_here_is_not_found(string path)
    {
        Assert.Null(SourcePaths.Find(path, [BinFolder]));
    }
}
