using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace DriverBuffers.Exercising.Loading;

/// <summary>
/// A fresh, collectible load of the driver assembly for one driver session, so that its static fields (a C driver's
/// globals) start over as they do when a real driver is loaded again. The driver's reference to the DriverBuffers API
/// binds to the exerciser's own copy, which hosts it; its other dependencies load from the driver's folder.
/// </summary>
internal sealed class DriverLoadContext : AssemblyLoadContext
{
    private static readonly Assembly Api = typeof(Wdf).Assembly;
    private readonly string directory;

    public DriverLoadContext(string assemblyPath)
        : base($"driver {Path.GetFileName(assemblyPath)}", isCollectible: true)
    {
        directory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        Driver = LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
    }

    /// <summary>The driver assembly as loaded in this context.</summary>
    public Assembly Driver { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == Api.GetName().Name)
        {
            return Api;
        }
        string candidate = Path.Combine(directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) && !IsFramework(assemblyName) ? LoadFromAssemblyPath(candidate) : null;
    }

    /// <summary>Framework assemblies come from the shared framework, as for any .NET application.</summary>
    private static bool IsFramework(AssemblyName name) =>
        File.Exists(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, name.Name + ".dll"));
}
