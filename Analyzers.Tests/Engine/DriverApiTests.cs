using System.Linq;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>
/// Where the API is found: in the referenced <c>DriverBuffers.dll</c> (that assembly alone is searched), or, when no
/// reference is so named, anywhere in the compilation (the API in source); nowhere when it is absent.
/// </summary>
public class DriverApiTests
{
    [Fact]
    public void FromTheReferencedApiAssembly()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Test0.cs", "class C { }") });
        Assert.Contains(compilation.References, r => r is PortableExecutableReference { FilePath: { } p } && p.EndsWith("DriverBuffers.dll"));

        var api = DriverApi.TryGet(compilation);

        Assert.NotNull(api);
        Assert.Equal("DriverBuffers", api!.Wdf.ContainingAssembly.Name);
        Assert.Same(api.Wdf.ContainingAssembly, api.Wdm.ContainingAssembly);
        Assert.Same(compilation.GetTypeByMetadataName("DriverBuffers.Wdf"), api.Wdf);
    }

    [Fact]
    public void FromSource_WhenNoReferenceIsTheApiAssembly()
    {
        var compilation = AnalyzerHarness.Compile(
            new[] { ("/0/Api.cs", "namespace DriverBuffers { public static class Wdf { } public static class Wdm { } }") }, withApi: false);

        var api = DriverApi.TryGet(compilation);

        Assert.NotNull(api);
        Assert.Same(compilation.Assembly, api!.Wdf.ContainingAssembly);
    }

    [Fact]
    public void NoneWithoutTheApi()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Test0.cs", "class C { }") }, withApi: false);

        Assert.DoesNotContain(compilation.References, r => r is PortableExecutableReference { FilePath: { } p } && p.EndsWith("DriverBuffers.dll"));
        Assert.Null(DriverApi.TryGet(compilation));
    }
}
