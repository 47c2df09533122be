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
/// attributes in <c>DriverEntry</c>);</item>
/// <item>or no level on the way up (queue, device, driver) is set, and the queue's synchronization scope, its own or
/// inherited the same way, is <c>WdfSynchronizationScopeDevice</c> or <c>…Queue</c>: KMDF then calls the queue's
/// callbacks holding a spin lock (its device's or its own). A level set to <c>WdfExecutionLevelPassive</c> makes it a wait
/// lock (PASSIVE_LEVEL); <c>WdfSynchronizationScopeNone</c> takes none. A queue whose level inherits and whose device is
/// not found is not at DISPATCH_LEVEL (the device may be passive).</item>
/// </list>
/// Gathered once per compilation, on the first question, from the trees whose name index names
/// <c>WdfExecutionLevelDispatch</c>, <c>WdfSynchronizationScopeDevice</c> or <c>WdfSynchronizationScopeQueue</c> (none in
/// most drivers: nothing else is bound then), then only the trees that name a helper setting the level or scope and a
/// creating DDI, the trees that name <c>WdfDriverCreate</c> (when a lock scope is set: the driver's level may be passive),
/// the trees that name a method a dispatch-level device is passed to and <c>WdfIoQueueCreate</c>, the trees that name the
/// method of a queue setting a lock scope and <c>WdfDeviceCreate</c>, and (for a dispatch-level driver) the trees that name
/// <c>WdfDeviceCreate</c>. Each tree answers once what it creates and how (<see cref="TreeCreations"/>, from that tree
/// alone, kept across IDE edits); the answers are put together here, per compilation.
/// </summary>
internal sealed class DispatchQueueIndex
{
    private static readonly TreeFacts<TreeCreations> Creations = new();

    /// <summary>The values that make a helper's parameter worth reading, and the property they are assigned to.</summary>
    private static readonly (string Name, string Property)[] HelperSettings =
    {
        (DispatchLevel, "ExecutionLevel"), (DeviceScope, "SynchronizationScope"), (QueueScope, "SynchronizationScope"),
    };

    private readonly AnalysisSession _session;
    private readonly ParameterSettings _settings;
    private readonly CallsInTreesNaming _dispatchTrees;
    private readonly CallsInTreesNaming _creatingTrees;
    private readonly CallsInTreesNaming _deviceTrees;
    private readonly CallsInTreesNaming _driverTrees;
    private readonly CallsInTreesNaming _queueTrees;
    private readonly object _gate = new();

    private List<QueueRoot>? _roots;

    public DispatchQueueIndex(AnalysisSession session)
    {
        _session = session;
        _settings = new ParameterSettings(session);
        _dispatchTrees = new CallsInTreesNaming(session, new[] { DispatchLevel, DeviceScope, QueueScope });
        _creatingTrees = new CallsInTreesNaming(session, new[] { QueueCreate, DeviceCreate, DriverCreate });
        _deviceTrees = new CallsInTreesNaming(session, new[] { DeviceCreate });
        _driverTrees = new CallsInTreesNaming(session, new[] { DriverCreate });
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
                return root.Context(method.Name, declared.Length > 0 ? declared[0].SyntaxTree : root.Tree);
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
                return root.Context("lambda", root.Tree);
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

        // A scope's lock is a spin lock unless the level is passive, which the driver's attributes may set.
        if (trees.Any(pair => HasLockScope(pair.Tree, pair.Answer, cancellationToken)))
        {
            Read(_driverTrees, null);
        }

        var driver = trees.SelectMany(pair => pair.Answer.Drivers.Select(creation => (pair.Tree, creation)))
            .Select(pair => (Where: Location.Create(pair.Tree, pair.creation.Creation), Setting: Resolve(pair.Tree, pair.creation.Attributes, cancellationToken)))
            .Where(pair => !Inherits(pair.Setting.Level) || !Inherits(pair.Setting.Scope))
            .Select(pair => new InheritedSettings(pair.Where, null, pair.Setting.Level, false, pair.Setting.Scope, false))
            .OrderByDescending(settings => settings.PutsQueuesAtDispatch)
            .FirstOrDefault();
        if (driver is not null && driver.PutsQueuesAtDispatch)
        {
            Read(_deviceTrees, null);
        }

        // A queue that sets a lock scope and takes its level from a device created in the method that passes the device
        // to it: that method (in the trees that name it and WdfDeviceCreate) says whether the device is passive.
        foreach (var name in trees.SelectMany(pair => pair.Answer.Queues.Select(queue => (pair.Tree, queue)))
                     .Where(pair => pair.queue.DeviceParameter is not null && IsLockScope(Resolve(pair.Tree, pair.queue.Attributes, cancellationToken).Scope))
                     .Select(pair => pair.queue.DeviceParameter!.MethodName).Distinct().ToList())
        {
            Read(_deviceTrees, name);
        }

        // Every device with the settings it inherits, and the methods each is passed to.
        var devices = new Dictionary<(SyntaxTree, TextSpan), InheritedSettings>();
        var passes = new List<(SyntaxTree Tree, MethodParameter Parameter, InheritedSettings Device)>();
        foreach (var (tree, answer) in trees.ToList())
        {
            foreach (var device in answer.Devices)
            {
                var settings = InheritedSettings.Of(Location.Create(tree, device.Creation), Resolve(tree, device.Attributes, cancellationToken), driver);
                devices[(tree, device.Creation)] = settings;
                passes.AddRange(device.Passes.Select(pass => (tree, pass, settings)));
            }
        }

        foreach (var name in passes.Where(pass => pass.Device.PutsQueuesAtDispatch).Select(pass => pass.Parameter.MethodName).Distinct().ToList())
        {
            Read(_queueTrees, name);
        }

        var roots = new List<QueueRoot>();
        foreach (var (tree, answer) in trees)
        {
            foreach (var queue in answer.Queues)
            {
                if (DispatchReason(tree, queue, devices, passes, cancellationToken) is not { } reason)
                {
                    continue;
                }

                var creation = Location.Create(tree, queue.Creation);
                roots.AddRange(queue.CallbackKeys.Select(key => new QueueRoot(tree, key, creation, reason)));
                foreach (var helper in queue.ConfigHelpers)
                {
                    // A helper's callbacks are keyed in the helper's tree.
                    if (_settings.SettingOf(helper, tree, cancellationToken) is var (helperTree, setting))
                    {
                        roots.AddRange(setting.CallbackKeys.Select(key => new QueueRoot(helperTree, key, creation, reason)));
                    }
                }
            }
        }

        return roots;
    }

    /// <summary>True when a creation of the tree's answer sets a lock scope (<see cref="ObjectSettings.IsLockScope"/>).</summary>
    private bool HasLockScope(SyntaxTree tree, TreeCreations answer, CancellationToken cancellationToken) =>
        answer.Queues.Any(queue => IsLockScope(Resolve(tree, queue.Attributes, cancellationToken).Scope)) ||
        answer.Devices.Concat(answer.Drivers).Any(parent => IsLockScope(Resolve(tree, parent.Attributes, cancellationToken).Scope));

    /// <summary>
    /// Why <paramref name="queue"/> is at DISPATCH_LEVEL: its own level or scope (no device, no driver), its device's (the
    /// device), or its driver's (both); null when it is not (or its device is not found and its own level does not say).
    /// </summary>
    private QueueReason? DispatchReason(
        SyntaxTree tree, QueueCreation queue, Dictionary<(SyntaxTree, TextSpan), InheritedSettings> devices,
        List<(SyntaxTree Tree, MethodParameter Parameter, InheritedSettings Device)> passes, CancellationToken cancellationToken)
    {
        var own = Resolve(tree, queue.Attributes, cancellationToken);
        if (own.Level == DispatchLevel)
        {
            return new QueueReason(null, null, null);
        }

        if (!Inherits(own.Level))
        {
            return null;
        }

        if (queue.DeviceCreation is { } device)
        {
            return devices.TryGetValue((tree, device), out var settings) ? settings.ReasonFor(own.Scope) : null;
        }

        if (queue.DeviceParameter is { } parameter)
        {
            foreach (var pass in passes)
            {
                if (pass.Parameter.Ordinal == parameter.Ordinal && MethodParameter.SameMethod(pass.Parameter.MethodKey, pass.Tree, parameter.MethodKey, tree) &&
                    pass.Device.ReasonFor(own.Scope) is { } reason)
                {
                    return reason;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The level and scope a creation's attributes are set to, by its method or the helpers it passes them to (two
    /// different values of one: null).
    /// </summary>
    private (string? Level, string? Scope) Resolve(SyntaxTree tree, AttributesSetting setting, CancellationToken cancellationToken)
    {
        var level = setting.Level;
        var scope = setting.Scope;
        var levelConflict = false;
        var scopeConflict = false;
        foreach (var helper in setting.Helpers)
        {
            if (_settings.SettingOf(helper, tree, cancellationToken)?.Setting is { } helperSetting)
            {
                Merge(ref level, ref levelConflict, helperSetting.Level);
                Merge(ref scope, ref scopeConflict, helperSetting.Scope);
            }
        }

        return (levelConflict ? null : level, scopeConflict ? null : scope);

        static void Merge(ref string? value, ref bool conflict, string? helperValue)
        {
            if (helperValue is null)
            {
                return;
            }

            conflict |= value is not null && value != helperValue;
            value = helperValue;
        }
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

        AttributesSetting Setting(IOperation body, IInvocationOperation invocation, int ordinal) =>
            ArgumentValue(invocation, ordinal) is { } attributes
                ? AttributesSettingOf(body, attributes, invocation, tree, api, cancellationToken)
                : AttributesSetting.None;
    }

    /// <summary>
    /// The methods of the tree that set a parameter's <c>ExecutionLevel</c> to <c>WdfExecutionLevelDispatch</c>, or its
    /// <c>SynchronizationScope</c> to <c>WdfSynchronizationScopeDevice</c> or <c>…Queue</c> (from the names' mentions).
    /// </summary>
    private static MethodParameter[] DispatchHelpers(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var helpers = new List<MethodParameter>();
        foreach (var (name, property) in HelperSettings)
        {
            foreach (var mention in CallsInTreesNaming.Mentions(model.SyntaxTree, index, name, cancellationToken))
            {
                if (mention.Parent is AssignmentExpressionSyntax assignment && assignment.Right == mention &&
                    model.GetOperation(assignment, cancellationToken) is ISimpleAssignmentOperation
                    {
                        Target: IPropertyReferenceOperation { Instance: IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol method } parameter } } target,
                    } &&
                    target.Property.Name == property &&
                    SymbolIds.KeyIn(method, model.SyntaxTree) is { } key)
                {
                    helpers.Add(new MethodParameter(key, method.Name, parameter.Ordinal));
                }
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

    /// <summary>
    /// Where a queue at DISPATCH_LEVEL takes that from: the device (null: its own attributes) and the driver (null: not
    /// the driver's) whose attributes set it, and the lock scope that does (null: <c>ExecutionLevel = WdfExecutionLevelDispatch</c>).
    /// </summary>
    private sealed class QueueReason
    {
        public QueueReason(Location? device, Location? driver, string? scope)
        {
            Device = device;
            Driver = driver;
            Scope = scope;
        }

        public Location? Device { get; }

        public Location? Driver { get; }

        public string? Scope { get; }
    }

    /// <summary>
    /// A device's (or, <see cref="Device"/> only, a driver's) level and scope, its own or (<see cref="Driver"/>, the
    /// <c>…FromDriver</c> flags) inherited from the driver's attributes: what the queues that inherit both get.
    /// </summary>
    private sealed class InheritedSettings
    {
        public InheritedSettings(Location device, Location? driver, string? level, bool levelFromDriver, string? scope, bool scopeFromDriver)
        {
            Device = device;
            Driver = driver;
            Level = level;
            LevelFromDriver = levelFromDriver;
            Scope = scope;
            ScopeFromDriver = scopeFromDriver;
        }

        public Location Device { get; }

        public Location? Driver { get; }

        public string? Level { get; }

        public bool LevelFromDriver { get; }

        public string? Scope { get; }

        public bool ScopeFromDriver { get; }

        /// <summary>True when a queue that inherits both level and scope runs at DISPATCH_LEVEL.</summary>
        public bool PutsQueuesAtDispatch => ReasonFor(null) is not null;

        /// <summary>The device created at <paramref name="device"/> with <paramref name="own"/> settings, under <paramref name="driver"/> (or none).</summary>
        public static InheritedSettings Of(Location device, (string? Level, string? Scope) own, InheritedSettings? driver)
        {
            var levelFromDriver = Inherits(own.Level) && driver is not null && !Inherits(driver.Level);
            var scopeFromDriver = Inherits(own.Scope) && driver is not null && !Inherits(driver.Scope);
            return new InheritedSettings(
                device,
                levelFromDriver || scopeFromDriver ? driver!.Device : null,
                levelFromDriver ? driver!.Level : own.Level,
                levelFromDriver,
                scopeFromDriver ? driver!.Scope : own.Scope,
                scopeFromDriver);
        }

        /// <summary>
        /// Why a queue of this device whose level inherits, with the scope <paramref name="queueScope"/> of its own
        /// attributes, runs at DISPATCH_LEVEL: the level set to dispatch, or a lock scope (the queue's own, else the
        /// inherited one) at the default level; null when neither (a passive level, or no lock scope).
        /// </summary>
        public QueueReason? ReasonFor(string? queueScope)
        {
            if (Level == DispatchLevel)
            {
                return new QueueReason(Device, LevelFromDriver ? Driver : null, null);
            }

            if (!Inherits(Level))
            {
                return null;
            }

            if (!Inherits(queueScope))
            {
                return IsLockScope(queueScope) ? new QueueReason(null, null, queueScope) : null;
            }

            return IsLockScope(Scope) ? new QueueReason(Device, ScopeFromDriver ? Driver : null, Scope) : null;
        }
    }

    /// <summary>A queue callback found in a compilation: its tree, its key there, where its queue is created and why it is at DISPATCH_LEVEL.</summary>
    private sealed class QueueRoot
    {
        public QueueRoot(SyntaxTree tree, string callbackKey, Location creation, QueueReason reason)
        {
            Tree = tree;
            CallbackKey = callbackKey;
            Creation = creation;
            Reason = reason;
        }

        public SyntaxTree Tree { get; }

        public string CallbackKey { get; }

        public Location Creation { get; }

        public QueueReason Reason { get; }

        /// <summary>Why the callback <paramref name="name"/> (named in <paramref name="callbackTree"/>) runs at DISPATCH_LEVEL.</summary>
        public DispatchContext Context(string name, SyntaxTree callbackTree) =>
            DispatchContext.QueueCallback(name, Creation, Reason.Device, Reason.Driver, callbackTree, Reason.Scope);
    }
}
