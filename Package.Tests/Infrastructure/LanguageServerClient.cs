using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>
/// A minimal Language Server Protocol client over the server's standard input and output (JSON-RPC with
/// <c>Content-Length</c> framing), as an editor is one: it answers the server's requests (its configuration among
/// them), keeps the latest <c>textDocument/publishDiagnostics</c> of each document, and bounds every wait.
/// </summary>
public sealed class LanguageServerClient : IAsyncDisposable
{
    private readonly Process process;
    private readonly Stream toServer;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly Dictionary<string, JsonArray> diagnostics = new(StringComparer.Ordinal);
    private readonly StringBuilder log = new();
    private readonly object gate = new();
    private readonly Func<string, JsonNode?> configuration;
    private readonly Task reader;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int nextId;

    private LanguageServerClient(Process process, Func<string, JsonNode?> configuration)
    {
        this.process = process;
        this.configuration = configuration;
        toServer = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) => Log("stderr: " + e.Data);
        process.BeginErrorReadLine();
        reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>The last 80 lines the server said on stderr and in <c>window/logMessage</c>, for failure messages.</summary>
    public string ServerLog
    {
        get
        {
            string text;
            lock (gate)
            {
                text = log.ToString();
            }

            var lines = text.Split('\n');
            return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 80)));
        }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>.
    /// <paramref name="configuration"/> answers <c>workspace/configuration</c> for a section name.
    /// </summary>
    public static LanguageServerClient Start(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        Func<string, JsonNode?> configuration)
    {
        var startInfo = new ProcessStartInfo(DotnetProcess.DotnetExecutable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        DotnetProcess.PrepareEnvironment(startInfo.Environment);
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return new LanguageServerClient(Process.Start(startInfo)!, configuration);
    }

    public static string Uri(string path) => new Uri(path).AbsoluteUri;

    /// <summary>Sends a request and waits at most <paramref name="timeout"/> for its result.</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref nextId);
        var response = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = response;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        var finished = await Task.WhenAny(response.Task, Task.Delay(timeout));
        if (finished != response.Task)
        {
            pending.TryRemove(id, out _);
            throw new TimeoutException($"No answer to {method} within {timeout.TotalSeconds:F0} s.\n{ServerLog}");
        }

        return await response.Task;
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>
    /// Waits until the latest diagnostics published for <paramref name="path"/> satisfy <paramref name="done"/>, at
    /// most <paramref name="timeout"/>; returns them. On timeout the failure message shows the last ones published.
    /// </summary>
    public async Task<JsonArray> WaitForDiagnosticsAsync(string path, Func<JsonArray, bool> done, TimeSpan timeout)
    {
        var uri = Uri(path);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (diagnostics.TryGetValue(uri, out var latest) && done(latest))
                {
                    return latest;
                }

                next = changed.Task;
            }

            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || await Task.WhenAny(next, Task.Delay(left)) != next)
            {
                string last;
                lock (gate)
                {
                    last = diagnostics.TryGetValue(uri, out var latest) ? latest.ToJsonString() : "(nothing published)";
                }

                throw new TimeoutException(
                    $"The diagnostics of {Path.GetFileName(path)} were not as expected within {timeout.TotalSeconds:F0} s. Last published: {last}\nServer log:\n{ServerLog}");
            }

            if (reader.IsCompleted)
            {
                throw new InvalidOperationException("The language server stopped.\n" + ServerLog);
            }
        }
    }

    /// <summary>Asks the server to shut down and exit (bounded), then ends it if it is still running.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                await RequestAsync("shutdown", null, TimeSpan.FromSeconds(15));
                await NotifyAsync("exit", null);
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // Ended below.
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await writeLock.WaitAsync();
        try
        {
            await toServer.WriteAsync(header);
            await toServer.WriteAsync(body);
            await toServer.FlushAsync();
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var stream = process.StandardOutput.BaseStream;
        try
        {
            while (await ReadMessageAsync(stream) is { } message)
            {
                await DispatchAsync(message);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Text.Json.JsonException)
        {
            Log("client: reading stopped: " + e.Message);
        }
        finally
        {
            foreach (var request in pending.Values)
            {
                request.TrySetException(new InvalidOperationException("The language server stopped.\n" + ServerLog));
            }

            Signal();
        }
    }

    private async Task DispatchAsync(JsonObject message)
    {
        var method = (string?)message["method"];
        var id = message["id"];
        if (method is null && id is not null)
        {
            if (pending.TryRemove((int)id, out var request))
            {
                if (message["error"] is { } error)
                {
                    request.TrySetException(new InvalidOperationException($"The server answered with an error: {error.ToJsonString()}"));
                }
                else
                {
                    request.TrySetResult(message["result"]?.DeepClone());
                }
            }

            return;
        }

        switch (method)
        {
            case "textDocument/publishDiagnostics":
                lock (gate)
                {
                    diagnostics[(string)message["params"]!["uri"]!] = message["params"]!["diagnostics"]!.AsArray().DeepClone().AsArray();
                }

                Signal();
                return;
            case "window/logMessage" or "window/showMessage":
                Log((string?)message["params"]?["message"] ?? "");
                return;
        }

        if (id is not null)
        {
            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = Answer(method, message["params"]) });
        }
    }

    /// <summary>The client's side of a server request: its configuration, or an empty success.</summary>
    private JsonNode? Answer(string? method, JsonNode? parameters)
    {
        if (method != "workspace/configuration")
        {
            return null;
        }

        var answers = new JsonArray();
        foreach (var item in parameters?["items"]?.AsArray() ?? new JsonArray())
        {
            answers.Add(configuration((string?)item?["section"] ?? ""));
        }

        return answers;
    }

    private static async Task<JsonObject?> ReadMessageAsync(Stream stream)
    {
        var length = -1;
        while (await ReadLineAsync(stream) is { } line)
        {
            if (line.Length == 0)
            {
                if (length < 0)
                {
                    throw new IOException("A message without Content-Length.");
                }

                var body = new byte[length];
                await stream.ReadExactlyAsync(body);
                return JsonNode.Parse(body)!.AsObject();
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return bytes.Count == 0 ? null : throw new IOException("The stream ended inside a header.");
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            log.Append(line).Append('\n');
        }
    }
}
