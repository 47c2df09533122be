using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>What a helper method does to a request it is given (a "may" summary of its whole body).</summary>
[Flags]
internal enum HelperEffect
{
    None = 0,
    Reuses = 1,
    Deletes = 2,
    Formats = 4,
    SetsRoutine = 8,
    Sends = 16,
    Completes = 32,
}

/// <summary>
/// Method summaries for the reuse rules: for each request parameter of a source method, whether the method
/// (or the helpers it passes the parameter to, up to a bounded depth) reuses, deletes, formats, sends or
/// completes it, or sets its completion routine. Flow-insensitive; computed on demand and cached per compilation.
/// </summary>
internal sealed class HelperSummaries
{
    /// <summary>How deep helper calls are followed unless <c>.editorconfig</c> says otherwise.</summary>
    public const int DefaultDepth = 3;

    /// <summary>The <c>.editorconfig</c> key that sets the depth (0 turns helper summaries off).</summary>
    public const string DepthOption = "driverbuffers.helper_depth";

    private readonly Compilation _compilation;
    private readonly DriverApi _api;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), Summary> _cache = new();

    private static readonly IReadOnlyDictionary<ISymbol, HelperEffect> NoMembers = new Dictionary<ISymbol, HelperEffect>(SymbolEqualityComparer.Default);

    /// <summary>A method's effects on its request parameters and on requests held in fields of <c>this</c> (or static).</summary>
    private sealed class Summary
    {
        public Summary(int parameters) => Parameters = new HelperEffect[parameters];

        public HelperEffect[] Parameters { get; }

        public Dictionary<ISymbol, HelperEffect> Members { get; } = new(SymbolEqualityComparer.Default);

        public void AddMember(ISymbol member, HelperEffect effect)
        {
            Members.TryGetValue(member, out var known);
            Members[member] = known | effect;
        }
    }

    public HelperSummaries(Compilation compilation, DriverApi api)
    {
        _compilation = compilation;
        _api = api;
    }

    /// <summary>The effect of calling <paramref name="method"/> on the request passed as parameter <paramref name="ordinal"/>.</summary>
    public HelperEffect EffectOn(IMethodSymbol method, int ordinal, int depth, CancellationToken cancellationToken)
    {
        if (depth <= 0 || ordinal < 0 || method.DeclaringSyntaxReferences.IsEmpty || _api.IsDdi(method))
        {
            return HelperEffect.None;
        }

        var effects = Summarize(method.OriginalDefinition, depth, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken).Parameters;
        return ordinal < effects.Length ? effects[ordinal] : HelperEffect.None;
    }

    /// <summary>
    /// The effects of calling <paramref name="method"/> (on <c>this</c>) on requests held in fields or properties of
    /// <c>this</c> or in statics: for example a parameterless helper that completes the pending original request.
    /// </summary>
    public IReadOnlyDictionary<ISymbol, HelperEffect> MemberEffects(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        if (depth <= 0 || method.DeclaringSyntaxReferences.IsEmpty || _api.IsDdi(method))
        {
            return NoMembers;
        }

        return Summarize(method.OriginalDefinition, depth, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken).Members;
    }

    private Summary Summarize(IMethodSymbol method, int depth, HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue((method, depth), out var cached))
        {
            return cached;
        }

        var effects = new Summary(method.Parameters.Length);
        if (!visiting.Add(method))
        {
            return effects; // recursion: what the outer summary finds is enough
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
#pragma warning disable RS1030 // Method summaries need the helper's body; bounded depth, cached per compilation.
            var semanticModel = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            if (semanticModel.GetOperation(syntax, cancellationToken) is not { } body)
            {
                continue;
            }

            var stack = new Stack<IOperation>();
            stack.Push(body);
            var budget = 100_000;
            while (stack.Count > 0 && --budget > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var operation = stack.Pop();
                if (operation is IInvocationOperation invocation)
                {
                    Add(invocation, effects, method, depth, visiting, cancellationToken);
                }

                foreach (var child in operation.ChildOperations)
                {
                    if (!OperationOrder.IsDeferredBody(child))
                    {
                        stack.Push(child);
                    }
                }
            }
        }

        visiting.Remove(method);
        _cache.TryAdd((method, depth), effects);
        return effects;
    }

    private void Add(
        IInvocationOperation invocation, Summary effects, IMethodSymbol owner, int depth,
        HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
    {
        var target = invocation.TargetMethod;
        if (_api.IsDdi(target))
        {
            var request = ReuseDdis.RequestArgument(invocation);
            if (ParameterOf(request, owner) is { } ordinal)
            {
                effects.Parameters[ordinal] |= DdiEffect(target);
            }
            else if (RequestKey.From(request) is { IsField: true, Instance: null } member)
            {
                effects.AddMember(member.Symbol.OriginalDefinition, DdiEffect(target));
            }

            return;
        }

        if (depth <= 1 || target.DeclaringSyntaxReferences.IsEmpty)
        {
            return;
        }

        var callee = Summarize(target.OriginalDefinition, depth - 1, visiting, cancellationToken);
        foreach (var argument in invocation.Arguments)
        {
            if (ParameterOf(argument.Value, owner) is { } ordinal && argument.Parameter is { } parameter &&
                parameter.Ordinal < callee.Parameters.Length)
            {
                effects.Parameters[ordinal] |= callee.Parameters[parameter.Ordinal];
            }
        }

        if (target.IsStatic || OperationUnwrap.Unwrap(invocation.Instance) is null or IInstanceReferenceOperation)
        {
            foreach (var pair in callee.Members)
            {
                effects.AddMember(pair.Key, pair.Value);
            }
        }
    }

    private HelperEffect DdiEffect(IMethodSymbol ddi)
    {
        if (_api.IsWdf(ddi, ReuseDdis.WdfRequestReuse)) return HelperEffect.Reuses;
        if (_api.IsWdf(ddi, ReuseDdis.WdfObjectDelete)) return HelperEffect.Deletes;
        if (ReuseDdis.IsFormat(_api, ddi)) return HelperEffect.Formats;
        if (ReuseDdis.IsSynchronousSend(_api, ddi)) return HelperEffect.Sends;
        if (_api.IsWdf(ddi, ReuseDdis.WdfRequestSend)) return HelperEffect.Sends;
        if (_api.IsWdf(ddi, ReuseDdis.WdfRequestSetCompletionRoutine)) return HelperEffect.SetsRoutine;
        if (ReuseDdis.IsCompletion(_api, ddi)) return HelperEffect.Completes;
        return HelperEffect.None;
    }

    private static int? ParameterOf(IOperation? operation, IMethodSymbol owner) =>
        OperationUnwrap.Unwrap(operation) is IParameterReferenceOperation reference &&
        SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol.OriginalDefinition, owner)
            ? reference.Parameter.Ordinal
            : null;
}
