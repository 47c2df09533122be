using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Package.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace DriverBuffers.Package.Tests;

/// <summary>
/// What a user sees in an editor: csharp-ls 0.28.0, a real language server, on a fresh project that references the
/// packed package and holds the buggy sample (see <see cref="EditorSession"/>). Skipped, with the reason, only when
/// the server cannot be restored from the package registry.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EditorTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private const string TypedUse = """

        public static class TypedInTheEditor
        {
            public static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfRequestComplete(Request, STATUS_SUCCESS);
                buffer.Write<int>(0, 1);
            }
        }

        """;

    [SkippableFact]
    public async Task Publishes_our_diagnostics_with_the_command_line_ranges_codes_and_help_links()
    {
        var session = await StartAsync();
        var total = 0;
        foreach (var path in session.OpenedTexts.Keys)
        {
            var shown = await session.WaitForExpectedAsync(path, EditorSession.FirstDiagnosticsTimeout);
            output.WriteLine($"{Path.GetFileName(path)}: {shown.Count} DRV diagnostics after {session.SinceOpened.Elapsed.TotalSeconds:F1} s");
            foreach (var diagnostic in shown)
            {
                Assert.Equal(fixture.Catalog.Rules[diagnostic.Code].HelpLinkUri, diagnostic.HelpLink);
            }

            total += shown.Count;
        }

        Assert.True(total >= 5, $"Only {total} DRV diagnostics in the editor.");
    }

    [SkippableFact]
    public async Task A_use_typed_after_WdfRequestComplete_brings_DRV001()
    {
        var session = await StartAsync();
        var path = session.OpenedTexts.Keys.Single(p => Path.GetFileName(p) == "EchoQueue.cs");
        var original = session.OpenedTexts[path];
        await session.WaitForExpectedAsync(path, EditorSession.FirstDiagnosticsTimeout);

        var typed = original + TypedUse.Replace("\r\n", "\n");
        var useLine = typed.Split('\n').ToList().FindIndex(l => l.Contains("buffer.Write<int>(0, 1);", StringComparison.Ordinal));
        var since = DateTime.UtcNow;
        await session.ChangeAsync(path, typed);
        try
        {
            var published = await session.Server.WaitForDiagnosticsAsync(
                path,
                p => EditorDiagnostic.Ours(p).Any(d => d.Code == "DRV001" && d.StartLine == useLine),
                EditorSession.EditTimeout);
            output.WriteLine($"DRV001 for the typed use after {(DateTime.UtcNow - since).TotalSeconds:F1} s");

            var shown = EditorDiagnostic.Ours(published);
            var typedFinding = Assert.Single(shown, d => d.StartLine >= original.Split('\n').Length - 1);
            Assert.Equal("DRV001", typedFinding.Code);
            Assert.Equal(fixture.Catalog.Rules["DRV001"].HelpLinkUri, typedFinding.HelpLink);
            Assert.True(EditorSession.SamePlaces(shown.Where(d => d != typedFinding), session.Expected(path)), "The edit changed the other findings.");
        }
        finally
        {
            await session.ChangeAsync(path, original);
            await session.WaitForExpectedAsync(path, EditorSession.EditTimeout);
        }
    }

    [SkippableFact]
    public async Task Editorconfig_severities_are_honoured()
    {
        var session = await StartAsync();
        Skip.If(session.SilencedRule.Length == 0, "The buggy sample has bugs of one rule only.");
        var shown = (await Task.WhenAll(session.OpenedTexts.Keys.Select(p => session.WaitForExpectedAsync(p, EditorSession.FirstDiagnosticsTimeout))))
            .SelectMany(d => d)
            .ToList();

        // LSP severities: 1 error, 2 warning.
        Assert.Contains(shown, d => d.Code == session.ErrorRule);
        Assert.All(shown, d => Assert.Equal(d.Code == session.ErrorRule ? 1 : 2, d.Severity));
        Assert.DoesNotContain(shown, d => d.Code == session.SilencedRule);
        Assert.Contains(session.CommandLineFindings.Values.SelectMany(f => f), d => d.Code == session.SilencedRule);
    }

    private async Task<EditorSession> StartAsync()
    {
        var session = await fixture.EditorAsync();
        Skip.If(session.SkipReason is not null, session.SkipReason);
        output.WriteLine($"dotnet tool restore (csharp-ls): {session.ToolRestoreTime.TotalSeconds:F1} s");
        return session;
    }
}
