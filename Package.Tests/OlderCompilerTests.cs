using System;
using System.IO;
using System.Text.RegularExpressions;
using DriverBuffers.Package.Tests.Infrastructure;
using Xunit;

namespace DriverBuffers.Package.Tests;

/// <summary>
/// The analyzers load in a compiler older than this SDK's own: a client built with the oldest compiler toolset the
/// package registry serves (<c>Microsoft.Net.Compilers.Toolset</c> 4.14.0; the SDK 10 compiler is Roslyn 5) reports
/// every marked bug of the buggy sample. The analyzers are built against Roslyn 4.8 (see
/// <see cref="PackageLayoutTests.Packed_analyzers_reference_Roslyn_4_8_at_most"/>), so they load from VS 2022 17.8
/// and .NET 8 SDKs on.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OlderCompilerTests(EndToEndFixture fixture)
{
    public const string ToolsetVersion = "4.14.0";

    /// <summary>
    /// The toolset package and, because SDK 10 otherwise always takes its own compiler (RoslynCompilerType Core),
    /// a compiler type of the package's own.
    /// </summary>
    private static readonly string ToolsetItems = $"""
          <PropertyGroup>
            <RoslynCompilerType>Package</RoslynCompilerType>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.Net.Compilers.Toolset" Version="{ToolsetVersion}" PrivateAssets="all" />
          </ItemGroup>
        """;

    [SkippableFact]
    public void Client_built_with_compiler_toolset_4_14_reports_every_marked_bug()
    {
        var markers = fixture.RequireImplementedMarkers();
        var consumer = fixture.NewBuggyConsumer("OlderCompiler", ToolsetItems);

        var build = consumer.Build("-v:n");

        Assert.True(build.Succeeded, "Warnings must not fail the build: " + build.Describe());
        var compiler = Regex.Match(build.Output, @"\S*csc(\.dll|\.exe)?""?\s+/noconfig");
        Assert.True(compiler.Success, "The compiler's command line is not in the log: " + build.Describe());
        Assert.Contains($"microsoft.net.compilers.toolset{Path.DirectorySeparatorChar}{ToolsetVersion}", compiler.Value, StringComparison.OrdinalIgnoreCase);
        Expectations.AssertAnalyzersLoaded(build.Output);
        Expectations.AssertFindingsMatchMarkers(markers, BuildDiagnostics.Ours(build.Output), "warning", build);
    }
}
