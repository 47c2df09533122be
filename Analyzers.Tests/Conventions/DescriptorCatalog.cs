using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DriverBuffers.Analyzers.Rules;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Conventions;

/// <summary>What the convention tests compare: the descriptors of <see cref="Descriptors"/> and the rules with a fix.</summary>
internal static class DescriptorCatalog
{
    /// <summary>Every <see cref="Descriptors"/> field, by field name.</summary>
    public static ImmutableArray<(string Name, DiagnosticDescriptor Descriptor)> Fields { get; } =
        typeof(Descriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (f.Name, (DiagnosticDescriptor)f.GetValue(null)!))
            .OrderBy(f => f.Item2.Id, StringComparer.Ordinal)
            .ToImmutableArray();

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = Fields.Select(f => f.Descriptor).ToImmutableArray();

    /// <summary>The IDs that some code-fix provider fixes.</summary>
    public static ImmutableHashSet<string> Fixable { get; } =
        AnalyzerHarness.AllCodeFixProviderTypes()
            .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
            .ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>The rows of a theory, one per item.</summary>
    public static TheoryData<T> Rows<T>(IEnumerable<T> items)
    {
        var data = new TheoryData<T>();
        foreach (var item in items)
        {
            data.Add(item);
        }

        return data;
    }
}
