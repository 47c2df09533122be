using System;
using System.Collections.Generic;
using System.Composition;
using System.Linq;
using System.Reflection;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Conventions;

/// <summary>
/// Every code-fix provider is one the IDE can load and name (in the manner of StyleCop's and Meziantou's
/// convention tests): exported for C# under its own type name, <c>[Shared]</c>, fixing rules that exist, with a
/// Fix All provider.
/// </summary>
public class CodeFixProviderConventionTests
{
    public static TheoryData<Type> Providers() => DescriptorCatalog.Rows(AnalyzerHarness.AllCodeFixProviderTypes());

    [Fact]
    public void ThereAreProviders() => Assert.True(AnalyzerHarness.AllCodeFixProviderTypes().Length >= 10);

    [Theory]
    [MemberData(nameof(Providers))]
    public void IsExportedForCSharpUnderItsTypeName(Type provider)
    {
        var export = provider.GetCustomAttribute<ExportCodeFixProviderAttribute>();
        Assert.True(export is not null, $"{provider.Name} has no [ExportCodeFixProvider]: the IDE never loads it.");
        Assert.Equal(new[] { LanguageNames.CSharp }, export.Languages);
        Assert.Equal(provider.Name, export.Name);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void IsShared(Type provider) =>
        Assert.True(provider.GetCustomAttribute<SharedAttribute>() is not null, $"{provider.Name} is not [Shared] (System.Composition).");

    [Theory]
    [MemberData(nameof(Providers))]
    public void IsSealedAndEndsInCodeFixOrCodeFixProvider(Type provider)
    {
        Assert.True(provider.IsSealed, $"{provider.Name} is not sealed.");
        Assert.True(
            provider.Name.EndsWith("CodeFix", StringComparison.Ordinal) || provider.Name.EndsWith("CodeFixProvider", StringComparison.Ordinal),
            $"{provider.Name}: a code-fix provider's name ends in CodeFix or CodeFixProvider.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void FixesOnlyRulesOfTheCatalogAndSupportsFixAll(Type provider)
    {
        var instance = (CodeFixProvider)Activator.CreateInstance(provider)!;
        var ids = DescriptorCatalog.All.Select(d => d.Id).ToHashSet();

        Assert.NotEmpty(instance.FixableDiagnosticIds);
        Assert.All(instance.FixableDiagnosticIds, id => Assert.Contains(id, ids));
        var fixAll = instance.GetFixAllProvider();
        Assert.NotNull(fixAll);
        Assert.Contains(FixAllScope.Document, fixAll.GetSupportedFixAllScopes());
    }

    [Fact]
    public void EachRuleHasAtMostOneProvider()
    {
        var owners = new Dictionary<string, List<string>>();
        foreach (var type in AnalyzerHarness.AllCodeFixProviderTypes())
        {
            foreach (var id in ((CodeFixProvider)Activator.CreateInstance(type)!).FixableDiagnosticIds)
            {
                (owners.TryGetValue(id, out var list) ? list : owners[id] = new List<string>()).Add(type.Name);
            }
        }

        Assert.All(owners, pair => Assert.True(pair.Value.Count == 1, $"{pair.Key} is fixed by {string.Join(" and ", pair.Value)}."));
    }
}
