using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>The outcome of one <c>dotnet</c> invocation: exit code and the merged output, as a user sees it.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>A short account for an assertion message: the command and the end of its output.</summary>
    public string Describe(int tailLines = 60)
    {
        var lines = Output.Split('\n');
        var tail = string.Join("\n", lines.Skip(Math.Max(0, lines.Length - tailLines)));
        return $"`{CommandLine}` in {WorkingDirectory} exited with {ExitCode} after {Elapsed.TotalSeconds:F0} s:\n{tail}";
    }
}

/// <summary>
/// Runs the <c>dotnet</c> CLI as a separate process, the way a user or CI does. The child gets a clean
/// environment: no MSBuild or test-host variables inherited from this test process, no node reuse and no
/// shared compiler server (either would outlive the command and hold its output pipes open), English messages
/// and the plain console logger. Each invocation is bounded by a timeout; on expiry the process tree is killed.
/// </summary>
public static class DotnetProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static ProcessResult Run(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        PrepareEnvironment(startInfo.Environment);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        var output = new StringBuilder();
        var gate = new object();
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                output.Append(line).Append('\n');
            }
        }

        var commandLine = "dotnet " + string.Join(" ", arguments);
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit((int)limit.TotalMilliseconds))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended between the timeout and the kill.
            }

            process.WaitForExit(10_000);
            Append($"*** killed after the timeout of {limit.TotalSeconds:F0} s ***");
            return new ProcessResult(commandLine, workingDirectory, -1, Snapshot(), stopwatch.Elapsed);
        }

        // The parameterless overload waits for the redirected streams to be drained.
        process.WaitForExit();
        return new ProcessResult(commandLine, workingDirectory, process.ExitCode, Snapshot(), stopwatch.Elapsed);

        string Snapshot()
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The environment of every child: nothing inherited from MSBuild or the test host; English; no node reuse.</summary>
    public static void PrepareEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) ||
                key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(key);
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["MSBUILDTERMINALLOGGER"] = "off";
        environment["UseSharedCompilation"] = "false";
    }

    public static string DotnetExecutable()
    {
        // The dotnet that runs these tests is the SDK's host; use the same one.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return "dotnet";
    }
}
