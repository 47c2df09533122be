using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace DriverBuffers.Package.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "End to end: packed once per run";
}

/// <summary>
/// Set up once per test run: a copy of the repository in a temporary folder, packed there with the command the
/// docs give (<c>dotnet pack Analyzers.sln -c Release -o packages</c>), and the rule catalog read from the packed
/// analyzer assemblies. The consumer projects and sample builds the tests share are made on first use.
/// </summary>
public sealed class EndToEndFixture : IDisposable
{
    public const string SkipNoSamples = "samples/BuggyDriver is not in the repository yet.";

    private static readonly Regex PackageName = new(@"^DriverBuffers\.Analyzers\.(?<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$");

    private readonly Lazy<ConsumerBuild> buggyClient;
    private readonly Lazy<ProcessResult> buggySampleBuild;
    private readonly Lazy<ProcessResult> correctSampleBuild;
    private readonly Lazy<Task<EditorSession>> editor;
    private int consumerCount;

    public EndToEndFixture()
    {
        WorkDirectory = Path.Combine(Path.GetTempPath(), "driverbuffers-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        SourceDirectory = Path.Combine(WorkDirectory, "src");
        PackageDirectory = Path.Combine(WorkDirectory, "packages");
        PackageCache = Path.Combine(WorkDirectory, "package-cache");
        ConsumersDirectory = Path.Combine(WorkDirectory, "consumers");

        RepositoryCopy.CopyTo(RepositoryCopy.FindRoot(), SourceDirectory);
        Pack = DotnetProcess.Run(
            SourceDirectory,
            ["pack", "Analyzers.sln", "-c", "Release", "-o", PackageDirectory],
            TimeSpan.FromMinutes(10));

        if (Pack.Succeeded)
        {
            var analyzerPackage = Directory.EnumerateFiles(PackageDirectory, "DriverBuffers.Analyzers.*.nupkg")
                .Select(Path.GetFileName)
                .Select(name => PackageName.Match(name!))
                .Single(m => m.Success);
            Version = analyzerPackage.Groups["version"].Value;
            Catalog = RuleCatalog.Load(ExtractAnalyzers());
        }

        ConsumerProject.WriteRoot(ConsumersDirectory, PackageDirectory, PackageCache);
        buggyClient = new Lazy<ConsumerBuild>(BuildBuggyClient);
        buggySampleBuild = new Lazy<ProcessResult>(() => BuildSample("BuggyDriver"));
        correctSampleBuild = new Lazy<ProcessResult>(() => BuildSample("CorrectDriver"));
        editor = new Lazy<Task<EditorSession>>(() => EditorSession.StartAsync(this));
    }

    public string WorkDirectory { get; }

    /// <summary>The copy of the repository that was packed.</summary>
    public string SourceDirectory { get; }

    public string PackageDirectory { get; }

    public string PackageCache { get; }

    public string ConsumersDirectory { get; }

    public ProcessResult Pack { get; }

    /// <summary>The packages' version (from the packed file names).</summary>
    public string Version { get; } = "";

    /// <summary>The rules and fixes in the packed analyzer assemblies.</summary>
    public RuleCatalog Catalog { get; } = null!;

    public string BuggySampleDirectory => Path.Combine(SourceDirectory, "samples", "BuggyDriver");

    public string CorrectSampleDirectory => Path.Combine(SourceDirectory, "samples", "CorrectDriver");

    public bool HasSamples => File.Exists(Path.Combine(BuggySampleDirectory, "BuggyDriver.csproj"));

    public string AnalyzerPackage => Path.Combine(PackageDirectory, $"DriverBuffers.Analyzers.{Version}.nupkg");

    public string RuntimePackage => Path.Combine(PackageDirectory, $"DriverBuffers.{Version}.nupkg");

    /// <summary>A fresh consumer project with the buggy sample's sources, built once with a SARIF log.</summary>
    public ConsumerBuild BuggyClient => buggyClient.Value;

    /// <summary>The README's main job, <c>dotnet build samples/BuggyDriver/BuggyDriver.csproj</c>, in the copy (see <see cref="BuildSample"/>).</summary>
    public ProcessResult BuggySampleBuild => buggySampleBuild.Value;

    /// <summary><c>dotnet build samples/CorrectDriver/CorrectDriver.csproj</c>, in the copy.</summary>
    public ProcessResult CorrectSampleBuild => correctSampleBuild.Value;

    /// <summary>csharp-ls on a consumer of the buggy sample, started on first use and shared by the editor tests.</summary>
    public Task<EditorSession> EditorAsync() => editor.Value;

    /// <summary>The marked bugs of the buggy sample whose rule the analyzers implement: what a build must report.</summary>
    public IReadOnlyList<BugMarker> ExpectedFindings() =>
        BugMarkers.Read(BuggySampleDirectory).Where(m => Catalog.Rules.ContainsKey(m.Id)).ToList();

    /// <summary>
    /// <see cref="ExpectedFindings"/>, for a test that needs at least one: the test is skipped, with the reason,
    /// while the sample or every one of its marked rules is missing.
    /// </summary>
    public IReadOnlyList<BugMarker> RequireImplementedMarkers()
    {
        AssertPacked();
        Skip.IfNot(HasSamples, SkipNoSamples);
        var markers = ExpectedFindings();
        Skip.If(markers.Count == 0, Expectations.SkipNoRules);
        return markers;
    }

    public void AssertPacked() => Assert.True(Pack.Succeeded, "Packing failed: " + Pack.Describe());

    /// <summary>A new consumer project with the buggy sample's sources, restored.</summary>
    /// <param name="projectItems">More of the project file, e.g. another package reference.</param>
    public ConsumerProject NewBuggyConsumer(string name, string projectItems = "") => NewConsumer(name, BuggySampleDirectory, projectItems);

    /// <summary>A new consumer project with one empty class, restored.</summary>
    public ConsumerProject NewEmptyConsumer(string name)
    {
        var sources = Path.Combine(WorkDirectory, "empty-sources");
        Directory.CreateDirectory(sources);
        File.WriteAllText(Path.Combine(sources, "Driver.cs"), "namespace Client;\n\npublic static class Driver\n{\n}\n");
        return NewConsumer(name, sources);
    }

    private ConsumerProject NewConsumer(string name, string sourceDirectory, string projectItems = "")
    {
        AssertPacked();
        var consumer = ConsumerProject.Create(
            ConsumersDirectory,
            $"{name}{Interlocked.Increment(ref consumerCount)}",
            sourceDirectory,
            Version,
            PackageCache,
            projectItems);
        var restore = consumer.Restore();
        Assert.True(restore.Succeeded, "Restore failed: " + restore.Describe());
        return consumer;
    }

    public void Dispose()
    {
        if (editor.IsValueCreated && editor.Value.IsCompletedSuccessfully)
        {
            editor.Value.Result.DisposeAsync().AsTask().Wait(TimeSpan.FromMinutes(1));
        }

        if (Environment.GetEnvironmentVariable("DRIVERBUFFERS_E2E_KEEP") is { Length: > 0 })
        {
            return;
        }

        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string ExtractAnalyzers()
    {
        var target = Path.Combine(WorkDirectory, "packed-analyzers");
        Directory.CreateDirectory(target);
        using var archive = ZipFile.OpenRead(Path.Combine(PackageDirectory, $"DriverBuffers.Analyzers.{Version}.nupkg"));
        foreach (var entry in archive.Entries.Where(e => e.FullName.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal)))
        {
            entry.ExtractToFile(Path.Combine(target, entry.Name), overwrite: true);
        }

        return target;
    }

    private ConsumerBuild BuildBuggyClient()
    {
        var consumer = NewBuggyConsumer("BuggyClient");
        var sarif = Path.Combine(consumer.Directory, "build.sarif");
        // The comma is escaped (%2C): unescaped, MSBuild would read "version=2.1" as a property of its own.
        var build = consumer.Build($"-p:ErrorLog={sarif}%2Cversion=2.1");
        return new ConsumerBuild(consumer, build, sarif);
    }

    /// <summary>
    /// Compiles a sample again in the packed copy. The pack built the sample and everything it references
    /// (Release); this recompiles only the sample (--no-dependencies, --no-incremental), which runs the analyzers
    /// as <c>dotnet build samples/NAME/NAME.csproj</c> does, in seconds instead of rebuilding the repository in Debug.
    /// </summary>
    private ProcessResult BuildSample(string name)
    {
        AssertPacked();
        return DotnetProcess.Run(
            SourceDirectory,
            ["build", $"samples/{name}/{name}.csproj", "-c", "Release", "--no-restore", "--no-dependencies", "--no-incremental"],
            DotnetProcess.DefaultTimeout);
    }
}

/// <summary>A consumer project and the log (and SARIF file) of its build.</summary>
public sealed record ConsumerBuild(ConsumerProject Project, ProcessResult Result, string SarifPath);
