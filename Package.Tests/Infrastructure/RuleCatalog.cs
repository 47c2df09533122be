using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Package.Tests.Infrastructure;

/// <summary>
/// What the shipped analyzer assemblies implement, read by reflection: the rules (the <c>SupportedDiagnostics</c>
/// of every <see cref="DiagnosticAnalyzer"/>) and the rules with a code fix (the <c>FixableDiagnosticIds</c> of
/// every <see cref="CodeFixProvider"/>). Rules are implemented in parallel, so tests ask this catalog what to expect
/// instead of hard-coding a list.
/// </summary>
public sealed class RuleCatalog
{
    private RuleCatalog(ImmutableDictionary<string, DiagnosticDescriptor> rules, ImmutableHashSet<string> fixable)
    {
        Rules = rules;
        Fixable = fixable;
    }

    /// <summary>The DRV rules some analyzer reports, by ID.</summary>
    public ImmutableDictionary<string, DiagnosticDescriptor> Rules { get; }

    /// <summary>The DRV rules that both an analyzer reports and a code-fix provider fixes.</summary>
    public ImmutableHashSet<string> Fixable { get; }

    /// <summary>Reads the analyzers and code fixes in <paramref name="directory"/> (e.g. a package's analyzers/dotnet/cs).</summary>
    public static RuleCatalog Load(string directory)
    {
        var context = new AnalyzerLoadContext(directory);
        var assemblies = Directory.EnumerateFiles(directory, "*.dll")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(context.LoadFromAssemblyPath)
            .ToList();

        var rules = ImmutableDictionary.CreateBuilder<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        var fixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in assemblies.SelectMany(LoadableTypes).Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            if (typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
            {
                var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(type)!;
                foreach (var descriptor in analyzer.SupportedDiagnostics.Where(d => d.Id.StartsWith("DRV", StringComparison.Ordinal)))
                {
                    rules[descriptor.Id] = descriptor;
                }
            }
            else if (typeof(CodeFixProvider).IsAssignableFrom(type) && type.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any())
            {
                var provider = (CodeFixProvider)Activator.CreateInstance(type)!;
                fixes.UnionWith(provider.FixableDiagnosticIds);
            }
        }

        var implemented = rules.ToImmutable();
        return new RuleCatalog(implemented, fixes.Where(implemented.ContainsKey).ToImmutableHashSet(StringComparer.Ordinal));
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null)!;
        }
    }

    /// <summary>Loads our assemblies from the package folder; Roslyn itself comes from this test's own dependencies.</summary>
    private sealed class AnalyzerLoadContext(string directory) : AssemblyLoadContext("DriverBuffers packed analyzers")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var candidate = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
