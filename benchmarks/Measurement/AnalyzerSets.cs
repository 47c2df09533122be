using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Benchmarks.Measurement;

/// <summary>
/// The analyzer sets that are measured: the floor, the whole package, each family alone, and the two peers
/// (Microsoft.CodeAnalysis.NetAnalyzers' default set, IDisposableAnalyzers) loaded from the analyzer dlls of
/// their NuGet packages, which the project file copies to <c>peers/</c> beside the benchmarks.
/// </summary>
public static class AnalyzerSets
{
    public const string Floor = "Floor";
    public const string Package = "Package";
    public const string GraphFloor = "GraphFloor";
    public const string NetAnalyzers = "NetAnalyzers";
    public const string IDisposableAnalyzers = "IDisposableAnalyzers";

    /// <summary>The package's analyzer assembly, by name: no type of it is named here, so its internals can change freely.</summary>
    public const string PackageAssembly = "DriverBuffers.Analyzers";

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> LazyPackage = new(() =>
        Instantiate(Assembly.Load(new AssemblyName(PackageAssembly))));

    private static readonly Dictionary<string, ImmutableArray<DiagnosticAnalyzer>> Peers = new();

    /// <summary>Every set by name: Floor, Package, the family names, GraphFloor, NetAnalyzers, IDisposableAnalyzers.</summary>
    public static IReadOnlyList<string> Names { get; } =
        new[] { Floor, Package }.Concat(AnalyzerFamily.Names).Concat(new[] { GraphFloor, NetAnalyzers, IDisposableAnalyzers }).ToArray();

    /// <summary>Every analyzer of the package: each type of its assembly that carries [DiagnosticAnalyzer], as a host loads them.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> PackageAnalyzers => LazyPackage.Value;

    public static ImmutableArray<DiagnosticAnalyzer> Get(string name) => name switch
    {
        Floor => ImmutableArray.Create<DiagnosticAnalyzer>(new FloorAnalyzer()),
        GraphFloor => ImmutableArray.Create<DiagnosticAnalyzer>(new GraphFloorAnalyzer()),
        Package => PackageAnalyzers,
        NetAnalyzers => Peer("NetAnalyzers"),
        IDisposableAnalyzers => Peer("IDisposableAnalyzers"),
        _ when AnalyzerFamily.Names.Contains(name) => PackageAnalyzers.Where(a => AnalyzerFamily.Of(a).Split('+').Contains(name)).ToImmutableArray(),
        _ when IsAnalyzerName(name) => PackageAnalyzers.Where(a => a.GetType().Name == name).ToImmutableArray(),
        _ => throw new ArgumentException($"No analyzer set '{name}'; the sets: {string.Join(", ", Names)}"),
    };

    /// <summary>True when <paramref name="name"/> is the type name of one of the package's analyzers: that analyzer alone is a set.</summary>
    public static bool IsAnalyzerName(string name) => PackageAnalyzers.Any(a => a.GetType().Name == name);

    private static ImmutableArray<DiagnosticAnalyzer> Peer(string folder)
    {
        lock (Peers)
        {
            if (!Peers.TryGetValue(folder, out var analyzers))
            {
                var directory = Path.Combine(AppContext.BaseDirectory, "peers", folder);
                var dlls = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.dll") : Array.Empty<string>();
                if (dlls.Length == 0)
                {
                    throw new InvalidOperationException($"No analyzer dll of {folder} in {directory}: build the benchmarks project first.");
                }

                // Load every dll of the folder first, so one can resolve the other (NetAnalyzers is two).
                var assemblies = dlls.Select(Assembly.LoadFrom).ToList();
                analyzers = assemblies.SelectMany(a => Instantiate(a)).ToImmutableArray();
                Peers[folder] = analyzers;
            }

            return analyzers;
        }
    }

    private static ImmutableArray<DiagnosticAnalyzer> Instantiate(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // Code-fix types of an analyzer package may need assemblies a command-line host does not load.
            types = e.Types.Where(t => t is not null).ToArray()!;
        }

        return types
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t, nonPublic: true)!)
            .ToImmutableArray();
    }
}
