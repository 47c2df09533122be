using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using static DriverBuffers.Analyzers.Analyses.ExecutionLevel.ObjectSettings;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// The I/O callbacks of queues created at DISPATCH_LEVEL: every method set as one of the <c>EvtIo…</c> callbacks of the
/// config given to <c>WdfIoQueueCreate(device, config, attributes, out queue)</c> (in the creating method, or by a helper
/// it passes the config to) when
/// <list type="bullet">
/// <item>the queue's own attributes set <c>ExecutionLevel = WdfExecutionLevelDispatch</c> (in the creating method, or in a
/// helper it passes them to: <see cref="ParameterSettings"/>);</item>
/// <item>or the queue's level is unset or inherited, and its device is created at DISPATCH_LEVEL by <c>WdfDeviceCreate</c>,
/// in the method that creates the queue or in the method that passes the device to it (<c>QueueInitialize(device)</c>
/// after <c>WdfDeviceCreate</c> in <c>EvtDriverDeviceAdd</c>);</item>
/// <item>or both levels are unset or inherited, and the driver is created at DISPATCH_LEVEL (<c>WdfDriverCreate</c>'s
/// attributes in <c>DriverEntry</c>).</item>
/// </list>
/// Gathered once per compilation, on the first question, from the trees whose name index names
/// <c>WdfExecutionLevelDispatch</c> (none in most drivers: nothing else is bound then), then only the trees that name a
/// helper setting the level and a creating DDI, the trees that name a method a dispatch-level device is passed to and
/// <c>WdfIoQueueCreate</c>, and (for a dispatch-level driver) the trees that name <c>WdfDeviceCreate</c>. Each tree
/// answers once what it creates and how (<see cref="TreeCreations"/>, from that tree alone, kept across IDE edits);
/// the answers are put together here, per compilation.
/// </summary>
internal sealed class DispatchQueueIndex
{
    private static readonly TreeFacts<TreeCreations> Creations = new();

    private readonly AnalysisSession _session;
    private readonly ParameterSettings _settings;
    private readonly CallsInTreesNaming _dispatchTrees;
    private readonly CallsInTreesNaming _creatingTrees;
    private readonly CallsInTreesNaming _deviceTrees;
    private readonly CallsInTreesNaming _queueTrees;
    private readonly object _gate = new();

    private List<QueueRoot>? _roots;

    public DispatchQueueIndex(AnalysisSession session)
    {
        _session = session;
        _settings = new ParameterSettings(session);
        _dispatchTrees = new CallsInTreesNaming(session, new[] { DispatchLevel });
        _creatingTrees = new CallsInTreesNaming(session, new[] { QueueCreate, DeviceCreate, DriverCreate });
        _deviceTrees = new CallsInTreesNaming(session, new[] { DeviceCreate });
        _queueTrees = new CallsInTreesNaming(session, new[] { QueueCreate });
    }

    /// <summary>Why <paramref name="method"/> runs at DISPATCH_LEVEL when it is a callback of such a queue; otherwise null.</summary>
    public DispatchContext? RootOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var root in Roots(cancellationToken))
        {
            if (root.CallbackKey == SymbolIds.KeyIn(method, root.Tree))
            {
                var declared = method.DeclaringSyntaxReferences;
                return DispatchContext.QueueCallback(
                    method.Name, root.Creation, root.Device, root.Driver, declared.Length > 0 ? declared[0].SyntaxTree : root.Tree);
            }
        }

        return null;
    }

    /// <summary>Why the lambda <paramref name="lambda"/> runs at DISPATCH_LEVEL when it is set as a callback of such a queue; otherwise null.</summary>
    public DispatchContext? LambdaRootOf(SyntaxNode lambda, CancellationToken cancellationToken)
    {
        var key = ObjectSettings.LambdaKey(lambda);
        foreach (var root in Roots(cancellationToken))
        {
            if (root.Tree == lambda.SyntaxTree && root.CallbackKey == key)
            {
                return DispatchContext.QueueCallback("lambda", root.Creation, root.Device, root.Driver, root.Tree);
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="body"/> sets a lambda as a callback of such a queue (the body is then worth a walk).</summary>
    public bool HasLambdaRootIn(SyntaxNode body, CancellationToken cancellationToken)
    {
        foreach (var root in Roots(cancellationToken))
        {
            if (root.Tree == body.SyntaxTree && ObjectSettings.LambdaPosition(root.CallbackKey) is { } position && body.Span.Contains(position))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every such callback of the compilation, gathered once (on the first question).</summary>
    private List<QueueRoot> Roots(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _roots) is { } known)
        {
            return known;
        }

        lock (_gate)
        {
            if (_roots is { } again)
            {
                return again;
            }

            var roots = Gather(cancellationToken);
            Volatile.Write(ref _roots, roots);
            return roots;
        }
    }

    private List<QueueRoot> Gather(CancellationToken cancellationToken)
    {
        // Every tree's answer is asked under one question: a tree found through two names is bound once.
        var trees = new List<(SyntaxTree Tree, TreeCreations Answer)>();
        var seen = new HashSet<SyntaxTree>();
        void Read(CallsInTreesNaming candidates, string? name)
        {
            foreach (var (tree, answer) in candidates.Answers(Creations, name, Bind, cancellationToken, question: string.Empty))
            {
                if (seen.Add(tree))
                {
                    trees.Add((tree, answer));
                }
            }
        }

        Read(_dispatchTrees, null);
        if (trees.Count == 0)
        {
            return new List<QueueRoot>();
        }

        foreach (var helper in trees.SelectMany(pair => pair.Answer.DispatchHelpers).Select(helper => helper.MethodName).Distinct().ToList())
        {
            Read(_creatingTrees, helper);
        }

        var driver = trees.SelectMany(pair => pair.Answer.Drivers.Select(creation => (pair.Tree, creation)))
            .Where(pair => LevelOf(pair.Tree, pair.creation.Level, cancellationToken) == DispatchLevel)
            .Select(pair => Location.Create(pair.Tree, pair.creation.Creation))
            .FirstOrDefault();
        if (driver is not null)
        {
            Read(_deviceTrees, null);
        }

        // The devices at DISPATCH_LEVEL (their own, or the driver's), and the methods each is passed to.
        var dispatchDevices = new Dictionary<(SyntaxTree, TextSpan), Location?>();
        var passes = new List<(SyntaxTree Tree, MethodParameter Parameter, Location Device, Location? Driver)>();
        foreach (var (tree, answer) in trees.ToList())
        {
            foreach (var device in answer.Devices)
            {
                var level = LevelOf(tree, device.Level, cancellationToken);
                var inherited = level == DispatchLevel ? null : Inherits(level) && driver is not null ? driver : null;
                if (level == DispatchLevel || inherited is not null)
                {
                    dispatchDevices[(tree, device.Creation)] = inherited;
                    passes.AddRange(device.Passes.Select(pass => (tree, pass, Location.Create(tree, device.Creation), inherited)));
                }
            }
        }

        foreach (var name in passes.Select(pass => pass.Parameter.MethodName).Distinct().ToList())
        {
            Read(_queueTrees, name);
        }

        var roots = new List<QueueRoot>();
        foreach (var (tree, answer) in trees)
        {
            foreach (var queue in answer.Queues)
            {
                if (DispatchReason(tree, queue, dispatchDevices, passes, cancellationToken) is not { } reason)
                {
                    continue;
                }

                var creation = Location.Create(tree, queue.Creation);
                roots.AddRange(queue.CallbackKeys.Select(key => new QueueRoot(tree, key, creation, reason.Device, reason.Driver)));
                foreach (var helper in queue.ConfigHelpers)
                {
                    // A helper's callbacks are keyed in the helper's tree.
                    if (_settings.SettingOf(helper, tree, cancellationToken) is var (helperTree, setting))
                    {
                        roots.AddRange(setting.CallbackKeys.Select(key => new QueueRoot(helperTree, key, creation, reason.Device, reason.Driver)));
                    }
                }
            }
        }

        return roots;
    }

    /// <summary>
    /// Why <paramref name="queue"/> is at DISPATCH_LEVEL: its own level (no device, no driver), its device's (the device),
    /// or its driver's (both); null when it is not.
    /// </summary>
    private (Location? Device, Location? Driver)? DispatchReason(
        SyntaxTree tree, QueueCreation queue, Dictionary<(SyntaxTree, TextSpan), Location?> dispatchDevices,
        List<(SyntaxTree Tree, MethodParameter Parameter, Location Device, Location? Driver)> passes, CancellationToken cancellationToken)
    {
        var level = LevelOf(tree, queue.Level, cancellationToken);
        if (level == DispatchLevel)
        {
            return (null, null);
        }

        if (!Inherits(level))
        {
            return null;
        }

        if (queue.DeviceCreation is { } device)
        {
            return dispatchDevices.TryGetValue((tree, device), out var driver) ? (Location.Create(tree, device), driver) : null;
        }

        if (queue.DeviceParameter is { } parameter)
        {
            foreach (var pass in passes)
            {
                if (pass.Parameter.Ordinal == parameter.Ordinal && MethodParameter.SameMethod(pass.Parameter.MethodKey, pass.Tree, parameter.MethodKey, tree))
                {
                    return (pass.Device, pass.Driver);
                }
            }
        }

        return null;
    }

    /// <summary>The level a creation's attributes are set to, by its method or the helpers it passes them to (two levels: null).</summary>
    private string? LevelOf(SyntaxTree tree, LevelSetting setting, CancellationToken cancellationToken)
    {
        var level = setting.Own;
        foreach (var helper in setting.Helpers)
        {
            if (_settings.SettingOf(helper, tree, cancellationToken)?.Setting.Level is { } helperLevel)
            {
                if (level is not null && level != helperLevel)
                {
                    return null;
                }

                level = helperLevel;
            }
        }

        return level;
    }

    /// <summary>
    /// One tree's answer: its <c>WdfIoQueueCreate</c>, <c>WdfDeviceCreate</c> and <c>WdfDriverCreate</c> calls (found from its
    /// name index) with how their method sets them, and its methods that set a parameter's level to dispatch.
    /// </summary>
    private TreeCreations Bind(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var tree = model.SyntaxTree;
        var api = _session.Api;
        var devices = new List<ParentCreation>();
        foreach (var (call, invocation, body) in CreatingCalls(model, index, DeviceCreate, cancellationToken))
        {
            var passes = CreatedLocal(invocation, 2) is { } local ? Helpers(body, local, body.Syntax.FullSpan, tree, api, cancellationToken) : System.Array.Empty<MethodParameter>();
            devices.Add(new ParentCreation(call.Span, Setting(body, invocation, 1), passes));
        }

        var drivers = new List<ParentCreation>();
        foreach (var (call, invocation, body) in CreatingCalls(model, index, DriverCreate, cancellationToken))
        {
            drivers.Add(new ParentCreation(call.Span, Setting(body, invocation, 2), System.Array.Empty<MethodParameter>()));
        }

        var queues = new List<QueueCreation>();
        foreach (var (call, invocation, body) in CreatingCalls(model, index, QueueCreate, cancellationToken))
        {
            var (keys, configHelpers) = ArgumentValue(invocation, 1) is { } config
                ? CallbacksOf(body, config, invocation, tree, api, cancellationToken)
                : (System.Array.Empty<string>(), System.Array.Empty<MethodParameter>());
            var device = ArgumentValue(invocation, 0);
            MethodParameter? deviceParameter = device is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol method } parameter } &&
                SymbolIds.KeyIn(method, tree) is { } methodKey
                    ? new MethodParameter(methodKey, method.Name, parameter.Ordinal)
                    : null;
            queues.Add(new QueueCreation(
                call.Span, Setting(body, invocation, 2), keys, configHelpers, DeviceCreation(body, device, cancellationToken)?.Syntax.Span, deviceParameter));
        }

        return new TreeCreations(queues.ToArray(), devices.ToArray(), drivers.ToArray(), DispatchHelpers(model, index, cancellationToken));

        LevelSetting Setting(IOperation body, IInvocationOperation invocation, int ordinal) =>
            ArgumentValue(invocation, ordinal) is { } attributes
                ? LevelSettingOf(body, attributes, invocation, tree, api, cancellationToken)
                : new LevelSetting(null, System.Array.Empty<MethodParameter>());
    }

    /// <summary>The methods of the tree that set a parameter's <c>ExecutionLevel</c> to <c>WdfExecutionLevelDispatch</c> (from the name's mentions).</summary>
    private static MethodParameter[] DispatchHelpers(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var helpers = new List<MethodParameter>();
        foreach (var mention in CallsInTreesNaming.Mentions(model.SyntaxTree, index, DispatchLevel, cancellationToken))
        {
            if (mention.Parent is AssignmentExpressionSyntax assignment && assignment.Right == mention &&
                model.GetOperation(assignment, cancellationToken) is ISimpleAssignmentOperation
                {
                    Target: IPropertyReferenceOperation { Property.Name: "ExecutionLevel", Instance: IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol method } parameter } },
                } &&
                SymbolIds.KeyIn(method, model.SyntaxTree) is { } key)
            {
                helpers.Add(new MethodParameter(key, method.Name, parameter.Ordinal));
            }
        }

        return helpers.ToArray();
    }

    /// <summary>The calls of the tree to the WDF DDI <paramref name="ddi"/> (found from its name index), with their operation and the body that makes them.</summary>
    private IEnumerable<(InvocationExpressionSyntax Call, IInvocationOperation Invocation, IOperation Body)> CreatingCalls(
        SemanticModel model, SyntaxTreeIndex index, string ddi, CancellationToken cancellationToken)
    {
        foreach (var mention in CallsInTreesNaming.Mentions(model.SyntaxTree, index, ddi, cancellationToken))
        {
            if (mention.Parent is InvocationExpressionSyntax call && call.Expression == mention && call.ArgumentList.Arguments.Count >= 3 &&
                model.GetOperation(call, cancellationToken) is IInvocationOperation invocation &&
                _session.Api.IsWdf(invocation.TargetMethod, ddi) &&
                EnclosingBody(invocation) is { } body)
            {
                yield return (call, invocation, body);
            }
        }
    }

    /// <summary>
    /// The <c>WdfDeviceCreate</c> call of <paramref name="body"/> whose <c>out</c> device is the local <paramref name="device"/>
    /// names, or the local the field or property it names is assigned in the body (<c>pDevice.FxDevice = fxDevice</c>).
    /// </summary>
    private IInvocationOperation? DeviceCreation(IOperation body, IOperation? device, CancellationToken cancellationToken)
    {
        if (PagedFieldIndex.MemberOf(device) is { } member)
        {
            device = StoredLocal(body, member, cancellationToken);
        }

        if (SymbolOf(device) is not ILocalSymbol local)
        {
            return null;
        }

        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is IInvocationOperation call && _session.Api.IsWdf(call.TargetMethod, DeviceCreate) &&
                SymbolEqualityComparer.Default.Equals(CreatedLocal(call, 2), local))
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>The local whose value <paramref name="body"/> stores in <paramref name="member"/> (the first such store), or null.</summary>
    private static IOperation? StoredLocal(IOperation body, ISymbol member, CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is ISimpleAssignmentOperation { Value: ILocalReferenceOperation stored } assignment &&
                SymbolEqualityComparer.Default.Equals(PagedFieldIndex.MemberOf(assignment.Target), member))
            {
                return stored;
            }
        }

        return null;
    }

    /// <summary>A queue callback found in a compilation: its tree, its key there, where its queue, device and driver are created.</summary>
    private sealed class QueueRoot
    {
        public QueueRoot(SyntaxTree tree, string callbackKey, Location creation, Location? device, Location? driver)
        {
            Tree = tree;
            CallbackKey = callbackKey;
            Creation = creation;
            Device = device;
            Driver = driver;
        }

        public SyntaxTree Tree { get; }

        public string CallbackKey { get; }

        public Location Creation { get; }

        public Location? Device { get; }

        public Location? Driver { get; }
    }
}
