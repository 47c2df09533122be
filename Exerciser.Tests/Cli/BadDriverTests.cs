using System.IO;
using Xunit;

namespace DriverBuffers.Exercising.Tests.Cli;

/// <summary>What cannot be exercised is said in one line and exits with 2.</summary>
public class BadDriverTests
{
    [Fact]
    public void An_assembly_without_a_DriverEntry_is_refused()
    {
        var report = Exerciser.Run(new ExerciseOptions { Driver = typeof(Wdf).Assembly.Location });

        Assert.StartsWith($"'{typeof(Wdf).Assembly.Location}' has no driver: no class declares static NTSTATUS DriverEntry(", report.Error);
        Assert.Equal(2, report.ExitCode);
    }

    [Fact]
    public void A_file_that_is_neither_a_project_nor_an_assembly_is_refused()
    {
        string file = Path.GetTempFileName();
        try
        {
            var report = Exerciser.Run(new ExerciseOptions { Driver = file });

            Assert.Equal($"'{file}' is neither a .csproj nor a .dll.", report.Error);
            Assert.Equal(2, report.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_dll_that_is_not_an_assembly_is_refused()
    {
        string file = Path.Combine(Path.GetTempPath(), $"not-a-driver-{System.Guid.NewGuid():N}.dll");
        File.WriteAllText(file, "not an assembly");
        try
        {
            var report = Exerciser.Run(new ExerciseOptions { Driver = file });

            Assert.StartsWith($"'{file}' could not be loaded: ", report.Error);
            Assert.Equal(2, report.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
