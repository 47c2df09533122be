#pragma warning disable RS1030 // cross-method facts: another tree of the same compilation is bound once per question (TreeFacts)
using System;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The semantic model <see cref="TreeFacts{TAnswer}"/> binds another tree with: one that skips nullable analysis when
/// the host compiler can (Roslyn 4.9 and later: <c>Compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis)</c>,
/// found by reflection because the package builds against Roslyn 4.8), the compilation's ordinary model otherwise.
/// <para>
/// Why: a cross-tree question is asked while the compiler has not compiled that tree yet, so its answer binds the tree's
/// bodies itself. In a project with nullable reference types enabled, the ordinary model runs the nullable walker over
/// every method it binds and rewrites its bound tree (about half of the package's time on the field-request shapes in
/// cost10's and reuse11's profiles), and the compiler does all of it again for its own diagnostics. The answers keep
/// symbol IDs and spans only, never a nullability, so they are the same either way.
/// </para>
/// <para>
/// Such a model is not the analyzer driver's cached one, so it is kept here, one per tree and compilation, for every
/// cross-tree question of that compilation (the registrations of a callback, the facts of driver-created requests, the
/// mentions of a name): a tree is bound once for all of them, as it was with the driver's model. It lives as long as
/// the compilation, and only trees some question reads are bound.
/// </para>
/// </summary>
internal static class CrossTreeModel
{
    private static readonly Func<Compilation, SyntaxTree, SemanticModel>? WithoutNullableAnalysis = Lightup();

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<SyntaxTree, SemanticModel>> Models = new();

    /// <summary>True when the host compiler binds cross-tree answers without nullable analysis.</summary>
    public static bool SkipsNullableAnalysis => WithoutNullableAnalysis is not null;

    /// <summary>A model of <paramref name="tree"/> (a tree of <paramref name="compilation"/>) for a cross-tree answer.</summary>
    public static SemanticModel Of(Compilation compilation, SyntaxTree tree)
    {
        if (WithoutNullableAnalysis is not { } create)
        {
            return compilation.GetSemanticModel(tree);
        }

        var models = Models.GetValue(compilation, _ => new ConcurrentDictionary<SyntaxTree, SemanticModel>());
        return models.TryGetValue(tree, out var model) ? model : models.GetOrAdd(tree, create(compilation, tree));
    }

    /// <summary>The host's <c>GetSemanticModel(SyntaxTree, SemanticModelOptions)</c> with nullable analysis disabled, if it has one.</summary>
    private static Func<Compilation, SyntaxTree, SemanticModel>? Lightup()
    {
        try
        {
            var optionsType = typeof(Compilation).GetTypeInfo().Assembly.GetType("Microsoft.CodeAnalysis.SemanticModelOptions");
            if (optionsType is null || !Enum.IsDefined(optionsType, "DisableNullableAnalysis"))
            {
                return null;
            }

            var method = typeof(Compilation).GetRuntimeMethod(nameof(Compilation.GetSemanticModel), new[] { typeof(SyntaxTree), optionsType });
            if (method is null || method.ReturnType != typeof(SemanticModel))
            {
                return null;
            }

            var compilation = Expression.Parameter(typeof(Compilation), "compilation");
            var tree = Expression.Parameter(typeof(SyntaxTree), "tree");
            var options = Expression.Constant(Enum.Parse(optionsType, "DisableNullableAnalysis"), optionsType);
            return Expression.Lambda<Func<Compilation, SyntaxTree, SemanticModel>>(
                Expression.Call(compilation, method, tree, options), compilation, tree).Compile();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or MemberAccessException or NotSupportedException or AmbiguousMatchException)
        {
            return null; // an older or different host: the ordinary model
        }
    }
}
