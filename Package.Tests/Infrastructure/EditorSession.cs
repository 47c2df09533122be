using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>One diagnostic as an editor shows it: code, zero-based range (end exclusive), LSP severity, help link.</summary>
public sealed record EditorDiagnostic(string Code, int StartLine, int StartCharacter, int EndLine, int EndCharacter, int Severity, string? HelpLink)
{
    public string Place => $"{Code} ({StartLine},{StartCharacter})-({EndLine},{EndCharacter})";

    public static IReadOnlyList<EditorDiagnostic> Ours(JsonArray published) =>
        published.Select(d => new EditorDiagnostic(
                (string?)d!["code"] ?? "",
                (int)d["range"]!["start"]!["line"]!,
                (int)d["range"]!["start"]!["character"]!,
                (int)d["range"]!["end"]!["line"]!,
                (int)d["range"]!["end"]!["character"]!,
                (int?)d["severity"] ?? 0,
                (string?)d["codeDescription"]?["href"]))
            .Where(d => d.Code.StartsWith("DRV", StringComparison.Ordinal))
            .ToList();
}

/// <summary>
/// A real editor client on a user's project: csharp-ls 0.28.0 (pinned in the repository's tool manifest and
/// installed with <c>dotnet tool restore</c>) on a fresh consumer of the packed package holding the buggy sample,
/// with analyzers turned on (<c>csharp.analyzersEnabled</c>, off by default) and every C# file open. The
/// project's <c>.editorconfig</c> makes <see cref="ErrorRule"/> an error and turns <see cref="SilencedRule"/> off.
/// </summary>
public sealed class EditorSession : IAsyncDisposable
{
    public static readonly TimeSpan FirstDiagnosticsTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan EditTimeout = TimeSpan.FromSeconds(90);

    private int version = 1;

    private EditorSession(string? skipReason) => SkipReason = skipReason;

    /// <summary>Why the editor tests are skipped: csharp-ls could not be restored from the package registry.</summary>
    public string? SkipReason { get; }

    public ConsumerProject Project { get; private init; } = null!;

    public LanguageServerClient Server { get; private init; } = null!;

    public string ErrorRule { get; private init; } = "";

    public string SilencedRule { get; private init; } = "";

    /// <summary>The text each file was opened with, by full path.</summary>
    public IReadOnlyDictionary<string, string> OpenedTexts { get; private init; } = new Dictionary<string, string>();

    /// <summary>What the command-line build of the same sources reported (SARIF), by file name, as editor diagnostics.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EditorDiagnostic>> CommandLineFindings { get; private init; } =
        new Dictionary<string, IReadOnlyList<EditorDiagnostic>>();

    public TimeSpan ToolRestoreTime { get; private init; }

    /// <summary>Since every file was opened (the server loads the project then).</summary>
    public Stopwatch SinceOpened { get; } = new();

    public static async Task<EditorSession> StartAsync(EndToEndFixture fixture)
    {
        var markers = fixture.RequireImplementedMarkers();
        var findings = CommandLineFindingsOf(fixture.BuggyClient);

        // The tool manifest beside the consumers, as in a user's repository; restored with the consumers' package cache.
        var manifest = Path.Combine(fixture.ConsumersDirectory, ".config", "dotnet-tools.json");
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.Copy(Path.Combine(fixture.SourceDirectory, ".config", "dotnet-tools.json"), manifest, overwrite: true);
        // The .NET CLI home holds the SDK's tool resolver cache: a fresh one per run, as on a fresh machine. A shared one
        // keeps the path of an earlier run's csharp-ls, in a package cache deleted since, and `dotnet tool restore`
        // does not replace that entry: every `.ci/run` after the first on one machine failed with "Run dotnet tool restore".
        var cliHome = Path.Combine(fixture.WorkDirectory, "dotnet-cli-home");
        Directory.CreateDirectory(cliHome);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = fixture.PackageCache, ["DOTNET_CLI_HOME"] = cliHome };
        var restore = DotnetProcess.Run(fixture.ConsumersDirectory, ["tool", "restore"], TimeSpan.FromMinutes(3), environment);
        if (!restore.Succeeded)
        {
            return new EditorSession("csharp-ls 0.28.0 could not be restored from the package registry (dotnet tool restore): " + restore.Describe(10));
        }

        var ids = markers.Select(m => m.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToList();
        var errorRule = ids[0];
        var silencedRule = ids.Count > 1 ? ids[^1] : "";
        var project = fixture.NewBuggyConsumer("Editor");
        File.WriteAllText(Path.Combine(project.Directory, ".editorconfig"),
            $"[*.cs]\ndotnet_diagnostic.{errorRule}.severity = error\n" + (silencedRule.Length > 0 ? $"dotnet_diagnostic.{silencedRule}.severity = none\n" : ""));

        var serverEnvironment = project.Environment.ToDictionary(e => e.Key, e => e.Value);
        serverEnvironment["DOTNET_CLI_HOME"] = cliHome;
        var server = LanguageServerClient.Start(
            ["tool", "run", "csharp-ls", "--loglevel", "info"],
            project.Directory,
            serverEnvironment,
            section => section == "csharp" ? new JsonObject { ["analyzersEnabled"] = true, ["locale"] = "en-US" } : null);
        var session = new EditorSession(null)
        {
            Project = project,
            Server = server,
            ErrorRule = errorRule,
            SilencedRule = silencedRule,
            CommandLineFindings = findings,
            ToolRestoreTime = restore.Elapsed,
            OpenedTexts = BugMarkers.SourceFiles(project.Directory).ToDictionary(f => f, File.ReadAllText),
        };

        var root = LanguageServerClient.Uri(project.Directory);
        await server.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = root,
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = root, ["name"] = project.Name }),
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                // No "diagnostic" (pull) capability: the server then publishes diagnostics, as to most editors.
                ["textDocument"] = new JsonObject
                {
                    ["synchronization"] = new JsonObject { ["didSave"] = true },
                    ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = true, ["codeDescriptionSupport"] = true },
                },
            },
        }, TimeSpan.FromMinutes(1));
        await server.NotifyAsync("initialized", new JsonObject());

        session.SinceOpened.Start();
        foreach (var (path, text) in session.OpenedTexts)
        {
            await server.NotifyAsync("textDocument/didOpen", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = LanguageServerClient.Uri(path), ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
            });
        }

        return session;
    }

    /// <summary>What the editor must show in <paramref name="path"/> as opened: the command line's findings there, as configured.</summary>
    public IReadOnlyList<EditorDiagnostic> Expected(string path) =>
        (CommandLineFindings.TryGetValue(Path.GetFileName(path), out var found) ? found : Array.Empty<EditorDiagnostic>())
            .Where(d => d.Code != SilencedRule)
            .ToList();

    public static bool SamePlaces(IEnumerable<EditorDiagnostic> actual, IEnumerable<EditorDiagnostic> expected) =>
        actual.Select(d => d.Place).OrderBy(p => p, StringComparer.Ordinal)
            .SequenceEqual(expected.Select(d => d.Place).OrderBy(p => p, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Waits until the editor shows exactly <see cref="Expected"/> in <paramref name="path"/>.</summary>
    public async Task<IReadOnlyList<EditorDiagnostic>> WaitForExpectedAsync(string path, TimeSpan timeout)
    {
        var expected = Expected(path);
        var published = await Server.WaitForDiagnosticsAsync(path, p => SamePlaces(EditorDiagnostic.Ours(p), expected), timeout);
        return EditorDiagnostic.Ours(published);
    }

    /// <summary>Replaces the whole text of an open document (<c>textDocument/didChange</c>), as typing does.</summary>
    public Task ChangeAsync(string path, string text) =>
        Server.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = LanguageServerClient.Uri(path), ["version"] = ++version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });

    public ValueTask DisposeAsync() => Server?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>The DRV results of a build's SARIF log (1-based, end exclusive) as zero-based editor ranges, by file name.</summary>
    private static Dictionary<string, IReadOnlyList<EditorDiagnostic>> CommandLineFindingsOf(ConsumerBuild build)
    {
        using var sarif = JsonDocument.Parse(File.ReadAllText(build.SarifPath));
        return sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("DRV", StringComparison.Ordinal))
            .Select(r =>
            {
                var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
                var region = location.GetProperty("region");
                var file = Path.GetFileName(new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath);
                return (file, diagnostic: new EditorDiagnostic(
                    r.GetProperty("ruleId").GetString()!,
                    region.GetProperty("startLine").GetInt32() - 1,
                    region.GetProperty("startColumn").GetInt32() - 1,
                    region.GetProperty("endLine").GetInt32() - 1,
                    region.GetProperty("endColumn").GetInt32() - 1,
                    2,
                    null));
            })
            .GroupBy(x => x.file, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<EditorDiagnostic>)g.Select(x => x.diagnostic).ToList(), StringComparer.Ordinal);
    }
}
