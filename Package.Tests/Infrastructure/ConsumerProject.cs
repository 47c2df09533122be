using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>
/// A fresh project of a user: a net10.0 library that references the <c>DriverBuffers</c> package (and through it
/// <c>DriverBuffers.Analyzers</c>) restored from the local package folder, into a package cache of its own, so
/// that no older package of the same version is ever taken from the machine's global cache.
/// </summary>
public sealed class ConsumerProject
{
    private ConsumerProject(string directory, string name, IReadOnlyDictionary<string, string> environment)
    {
        Directory = directory;
        Name = name;
        Environment = environment;
    }

    public string Directory { get; }

    public string Name { get; }

    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    /// <summary>The variables every dotnet call on this project needs (its own package cache).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>
    /// Creates the consumers' root folder under <paramref name="root"/>: a <c>nuget.config</c> with the local
    /// package folder and nuget.org (our package IDs mapped to the local folder only), and empty
    /// <c>Directory.Build.*</c> and a root <c>.editorconfig</c> so nothing above the folder leaks in.
    /// </summary>
    public static void WriteRoot(string root, string packageFolder, string packageCache)
    {
        System.IO.Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packageCache}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{packageFolder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="DriverBuffers" />
                  <package pattern="DriverBuffers.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, ".editorconfig"), "root = true\n");
    }

    /// <summary>
    /// Creates <paramref name="name"/> under <paramref name="root"/> with the C# files of <paramref name="sourceDirectory"/>
    /// (relative paths kept) and a project file referencing <c>DriverBuffers</c> <paramref name="version"/>.
    /// </summary>
    /// <param name="projectItems">More of the project file (property groups, item groups), after the package reference.</param>
    public static ConsumerProject Create(string root, string name, string sourceDirectory, string version, string packageCache, string projectItems = "")
    {
        var directory = Path.Combine(root, name);
        System.IO.Directory.CreateDirectory(directory);
        foreach (var file in BugMarkers.SourceFiles(sourceDirectory))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(sourceDirectory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="DriverBuffers" Version="{version}" />
              </ItemGroup>
            {projectItems}
            </Project>
            """);
        return new ConsumerProject(directory, name, new Dictionary<string, string> { ["NUGET_PACKAGES"] = packageCache });
    }

    public ProcessResult Restore() => Dotnet("restore", ProjectFile);

    /// <summary>
    /// <c>dotnet build</c> of the project, recompiling every time (so the analyzers run and the log shows their findings).
    /// </summary>
    public ProcessResult Build(params string[] extraArguments) =>
        Dotnet(["build", ProjectFile, "--no-restore", "--no-incremental", .. extraArguments]);

    public ProcessResult Dotnet(params string[] arguments) =>
        DotnetProcess.Run(Directory, arguments, DotnetProcess.DefaultTimeout, Environment);

    /// <summary>The text of every C# file of the project, by relative path.</summary>
    public IReadOnlyDictionary<string, string> ReadSources() =>
        BugMarkers.SourceFiles(Directory).ToDictionary(f => Path.GetRelativePath(Directory, f), File.ReadAllText);
}
