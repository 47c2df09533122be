using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Api;
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
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), HelperEffect[]> _cache = new();

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

        var effects = Summarize(method.OriginalDefinition, depth, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);
        return ordinal < effects.Length ? effects[ordinal] : HelperEffect.None;
    }

    private HelperEffect[] Summarize(IMethodSymbol method, int depth, HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue((method, depth), out var cached))
        {
            return cached;
        }

        var effects = new HelperEffect[method.Parameters.Length];
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
                    if (!Flow.OperationOrder.IsDeferredBody(child))
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
        IInvocationOperation invocation, HelperEffect[] effects, IMethodSymbol owner, int depth,
        HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
    {
        var target = invocation.TargetMethod;
        if (_api.IsDdi(target))
        {
            if (ParameterOf(ReuseDdis.RequestArgument(invocation), owner) is not { } ordinal)
            {
                return;
            }

            effects[ordinal] |= DdiEffect(target);
            return;
        }

        if (depth <= 1 || target.DeclaringSyntaxReferences.IsEmpty)
        {
            return;
        }

        HelperEffect[]? callee = null;
        foreach (var argument in invocation.Arguments)
        {
            if (ParameterOf(argument.Value, owner) is { } ordinal && argument.Parameter is { } parameter)
            {
                callee ??= Summarize(target.OriginalDefinition, depth - 1, visiting, cancellationToken);
                if (parameter.Ordinal < callee.Length)
                {
                    effects[ordinal] |= callee[parameter.Ordinal];
                }
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
        RequestKey.Unwrap(operation) is IParameterReferenceOperation reference &&
        SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol.OriginalDefinition, owner)
            ? reference.Parameter.Ordinal
            : null;
}
