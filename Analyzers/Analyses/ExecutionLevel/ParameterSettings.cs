using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// What the driver's helpers set on the attributes and configs they are given (<c>SetDispatchLevel(attributes)</c>,
/// <c>InitQueueConfig(out config)</c>): per method and parameter, the <c>ExecutionLevel</c>, the
/// <c>SynchronizationScope</c> and the <c>EvtIo…</c>
/// callbacks assigned to it in the method's body (<see cref="ObjectSettings"/>; not followed further). Answered lazily
/// per method name and cached per compilation, from the trees whose name index names the method and
/// <c>ExecutionLevel</c>, <c>SynchronizationScope</c> or an <c>EvtIo…</c> property; each tree bound once (its answer covers all its methods), kept
/// across IDE edits.
/// </summary>
internal sealed class ParameterSettings
{
    private static readonly string[] SettingNames =
    {
        "ExecutionLevel", "SynchronizationScope", "EvtIoDefault", "EvtIoRead", "EvtIoWrite", "EvtIoDeviceControl", "EvtIoInternalDeviceControl",
        "EvtIoStop", "EvtIoResume", "EvtIoCanceledOnQueue",
    };

    private static readonly string[] SettingTypes = { "WDF_OBJECT_ATTRIBUTES", "WDF_IO_QUEUE_CONFIG" };

    private static readonly TreeFacts<ParameterSetting[]> TreeSettings = new();

    private readonly AnalysisSession _session;
    private readonly CallsInTreesNaming _trees;
    private readonly ConcurrentDictionary<string, List<(SyntaxTree Tree, ParameterSetting Setting)>> _byName = new(StringComparer.Ordinal);

    public ParameterSettings(AnalysisSession session)
    {
        _session = session;
        _trees = new CallsInTreesNaming(session, SettingNames);
    }

    /// <summary>
    /// What the method <paramref name="parameter"/> names (as a tree <paramref name="from"/> names it) sets on that
    /// parameter, with the tree the method is declared in (its callback keys are that tree's), or null when nothing.
    /// </summary>
    public (SyntaxTree Tree, ParameterSetting Setting)? SettingOf(MethodParameter parameter, SyntaxTree from, CancellationToken cancellationToken)
    {
        foreach (var (tree, setting) in SettingsNamed(parameter.MethodName, cancellationToken))
        {
            if (setting.Parameter.Ordinal == parameter.Ordinal && MethodParameter.SameMethod(setting.Parameter.MethodKey, tree, parameter.MethodKey, from))
            {
                return (tree, setting);
            }
        }

        return null;
    }

    private List<(SyntaxTree Tree, ParameterSetting Setting)> SettingsNamed(string name, CancellationToken cancellationToken)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }

        // Each tree's answer covers all its methods (one question per tree, whichever method name found it).
        var settings = new List<(SyntaxTree, ParameterSetting)>();
        foreach (var (tree, answer) in _trees.Answers(TreeSettings, name, Bind, cancellationToken, question: string.Empty))
        {
            settings.AddRange(answer.Where(setting => setting.Parameter.MethodName == name).Select(setting => (tree, setting)));
        }

        return _byName.GetOrAdd(name, settings);
    }

    /// <summary>
    /// One tree's answer: what its methods set on their parameters typed <c>WDF_OBJECT_ATTRIBUTES</c> or
    /// <c>WDF_IO_QUEUE_CONFIG</c> (found from the type names' mentions in its index, confirmed by symbol).
    /// </summary>
    private ParameterSetting[] Bind(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var settings = new List<ParameterSetting>();
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        foreach (var typeName in SettingTypes)
        {
            foreach (var position in index.PositionsOf(typeName))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (root.FindToken(position).Parent?.FirstAncestorOrSelf<ParameterSyntax>() is not { Parent: ParameterListSyntax { Parent: { } declaration } } parameterSyntax ||
                    declaration is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax) ||
                    model.GetDeclaredSymbol(parameterSyntax, cancellationToken) is not IParameterSymbol { ContainingSymbol: IMethodSymbol method } parameter ||
                    parameter.Type.Name != typeName ||
                    !SymbolEqualityComparer.Default.Equals(parameter.Type.ContainingAssembly, _session.Api.Wdf.ContainingAssembly) ||
                    model.GetOperation(declaration, cancellationToken) is not { } body ||
                    SymbolIds.KeyIn(method, model.SyntaxTree) is not { } key)
                {
                    continue;
                }

                var assignments = ObjectSettings.Assignments(body, parameter, body.Syntax.FullSpan, cancellationToken).ToList();
                var level = ObjectSettings.LevelOf(assignments, _session.Api);
                var scope = ObjectSettings.ScopeOf(assignments, _session.Api);
                var callbacks = ObjectSettings.CallbackKeysOf(assignments, model.SyntaxTree).ToArray();
                if (level is not null || scope is not null || callbacks.Length > 0)
                {
                    settings.Add(new ParameterSetting(new MethodParameter(key, method.Name, parameter.Ordinal), level, scope, callbacks));
                }
            }
        }

        return settings.ToArray();
    }
}

/// <summary>
/// What a method sets on one of its parameters: the execution level and the synchronization scope (each null when none),
/// the keys of the <c>EvtIo…</c> callbacks.
/// </summary>
internal sealed class ParameterSetting
{
    public ParameterSetting(MethodParameter parameter, string? level, string? scope, string[] callbackKeys)
    {
        Parameter = parameter;
        Level = level;
        Scope = scope;
        CallbackKeys = callbackKeys;
    }

    public MethodParameter Parameter { get; }

    public string? Level { get; }

    public string? Scope { get; }

    public string[] CallbackKeys { get; }
}
