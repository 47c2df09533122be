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
/// config given to <c>WdfIoQueueCreate(device, config, attributes, out queue)</c> (<see cref="ObjectSettings"/>) when
/// <list type="bullet">
/// <item>the queue's own attributes set <c>ExecutionLevel = WdfExecutionLevelDispatch</c>;</item>
/// <item>or the queue's level is unset or inherited, and its device is created at DISPATCH_LEVEL: by
/// <c>WdfDeviceCreate</c> with attributes set to it, in the method that creates the queue or in the method that passes
/// the device to it (<c>QueueInitialize(device)</c> after <c>WdfDeviceCreate</c> in <c>EvtDriverDeviceAdd</c>);</item>
/// <item>or both levels are unset or inherited, and the driver is created at DISPATCH_LEVEL (<c>WdfDriverCreate</c>'s
/// attributes in <c>DriverEntry</c>), with the device created in the queue's method or in the method that passes it.</item>
/// </list>
/// Gathered once per compilation, on the first question, from the trees whose name index names
/// <c>WdfExecutionLevelDispatch</c> (none in most drivers; nothing else is bound then); the queues of a device passed
/// to another method only from the trees that name that method and <c>WdfIoQueueCreate</c>; the devices of a
/// dispatch-level driver from the trees that name <c>WdfDeviceCreate</c>. Each tree answers each question once, kept
/// across IDE edits (<see cref="TreeFacts{TAnswer}"/>).
/// </summary>
internal sealed class DispatchQueueIndex
{
    private static readonly TreeFacts<DispatchLevelFacts> DispatchFacts = new();
    private static readonly TreeFacts<DeviceQueues[]> InheritingDevices = new();
    private static readonly TreeFacts<ParameterQueue[]> ParameterQueues = new();

    private readonly AnalysisSession _session;
    private readonly CallsInTreesNaming _dispatchTrees;
    private readonly CallsInTreesNaming _deviceTrees;
    private readonly CallsInTreesNaming _queueTrees;
    private readonly object _gate = new();

    private List<QueueRoot>? _roots;

    public DispatchQueueIndex(AnalysisSession session)
    {
        _session = session;
        _dispatchTrees = new CallsInTreesNaming(session, new[] { DispatchLevel });
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
        var roots = new List<QueueRoot>();
        var passes = new List<(DevicePass Pass, Location Device, Location? Driver)>();
        Location? driver = null;
        foreach (var (tree, facts) in _dispatchTrees.Answers(DispatchFacts, null, BindDispatchLevel, cancellationToken))
        {
            foreach (var callback in facts.Callbacks)
            {
                roots.Add(new QueueRoot(tree, callback.CallbackKey, Location.Create(tree, callback.Creation), LocationIn(tree, callback.Device), null));
            }

            foreach (var device in facts.Devices)
            {
                passes.AddRange(device.Passes.Select(pass => (pass, Location.Create(tree, device.Creation), (Location?)null)));
            }

            if (facts.Drivers.Length > 0)
            {
                driver ??= Location.Create(tree, facts.Drivers[0]);
            }
        }

        if (driver is not null)
        {
            // A dispatch-level driver: every device whose own level is unset or inherited is at DISPATCH_LEVEL too.
            foreach (var (tree, devices) in _deviceTrees.Answers(InheritingDevices, null, BindInheritingDevices, cancellationToken))
            {
                foreach (var device in devices)
                {
                    var deviceLocation = Location.Create(tree, device.Creation);
                    foreach (var callback in device.Callbacks)
                    {
                        roots.Add(new QueueRoot(tree, callback.CallbackKey, Location.Create(tree, callback.Creation), deviceLocation, driver));
                    }

                    passes.AddRange(device.Passes.Select(pass => (pass, deviceLocation, (Location?)driver)));
                }
            }
        }

        foreach (var (pass, device, passDriver) in passes)
        {
            var name = pass.MethodName;
            foreach (var (tree, queues) in _queueTrees.Answers(ParameterQueues, name, (model, index, ct) => BindParameterQueues(model, index, name, ct), cancellationToken))
            {
                foreach (var queue in queues)
                {
                    if (queue.MethodKey == pass.MethodKey && queue.Ordinal == pass.Ordinal)
                    {
                        roots.AddRange(queue.CallbackKeys.Select(key => new QueueRoot(tree, key, Location.Create(tree, queue.Creation), device, passDriver)));
                    }
                }
            }
        }

        return roots;
    }

    /// <summary>
    /// One tree's answer (a tree that names the dispatch level): the callbacks of the queues it creates at DISPATCH_LEVEL
    /// (their own level, or the device's created in the same method), the devices it creates at DISPATCH_LEVEL with the
    /// methods it passes them to, its dispatch-level <c>WdfDriverCreate</c> calls.
    /// </summary>
    private DispatchLevelFacts BindDispatchLevel(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var callbacks = new List<QueueCallback>();
        var devices = new List<DeviceQueues>();
        var drivers = new List<TextSpan>();
        var api = _session.Api;
        foreach (var call in CallsInTreesNaming.AllCalls(model.SyntaxTree, cancellationToken))
        {
            var creating = CallsInTreesNaming.EndsWithName(call.Expression, QueueCreate) ? QueueCreate
                : CallsInTreesNaming.EndsWithName(call.Expression, DeviceCreate) ? DeviceCreate
                : CallsInTreesNaming.EndsWithName(call.Expression, DriverCreate) ? DriverCreate
                : null;
            if (creating is null || call.ArgumentList.Arguments.Count < 3 ||
                model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation ||
                !api.IsWdf(invocation.TargetMethod, creating) ||
                EnclosingBody(invocation) is not { } body)
            {
                continue;
            }

            switch (creating)
            {
                case QueueCreate:
                    // The queue's own level, else (unset or inherited) the level of the device created in the same method.
                    if (ArgumentValue(invocation, 2) is not { } attributes)
                    {
                        break;
                    }

                    var level = LevelOf(body, attributes, api, cancellationToken);
                    TextSpan? device = null;
                    if (Inherits(level) && DeviceCreation(body, ArgumentValue(invocation, 0), cancellationToken) is { } creation &&
                        ArgumentValue(creation, 1) is { } deviceAttributes)
                    {
                        level = LevelOf(body, deviceAttributes, api, cancellationToken);
                        device = creation.Syntax.Span;
                    }

                    if (level == DispatchLevel)
                    {
                        callbacks.AddRange(QueueCallbacks(model.SyntaxTree, invocation, body, cancellationToken)
                            .Select(callback => new QueueCallback(callback.CallbackKey, callback.Creation, device)));
                    }

                    break;
                case DeviceCreate:
                    if (ArgumentValue(invocation, 1) is { } ownAttributes && LevelOf(body, ownAttributes, api, cancellationToken) == DispatchLevel &&
                        CreatedLocal(invocation, 2) is { } local)
                    {
                        devices.Add(new DeviceQueues(call.Span, System.Array.Empty<QueueCallback>(), Passes(model.SyntaxTree, body, local, cancellationToken)));
                    }

                    break;
                default:
                    if (ArgumentValue(invocation, 2) is { } driverAttributes && LevelOf(body, driverAttributes, api, cancellationToken) == DispatchLevel)
                    {
                        drivers.Add(call.Span);
                    }

                    break;
            }
        }

        return new DispatchLevelFacts(callbacks.ToArray(), devices.ToArray(), drivers.ToArray());
    }

    /// <summary>
    /// One tree's answer (a tree that names <c>WdfDeviceCreate</c>, asked only when the driver is at DISPATCH_LEVEL): the
    /// devices it creates with their level unset or inherited, the callbacks of the queues created on each in the same
    /// method with their level unset or inherited, and the methods it passes each to.
    /// </summary>
    private DeviceQueues[] BindInheritingDevices(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var devices = new List<DeviceQueues>();
        var api = _session.Api;
        foreach (var (call, invocation, body) in CreatingCalls(model, index, DeviceCreate, cancellationToken))
        {
            if (ArgumentValue(invocation, 1) is not { } attributes || !Inherits(LevelOf(body, attributes, api, cancellationToken)) ||
                CreatedLocal(invocation, 2) is not { } local)
            {
                continue;
            }

            var callbacks = new List<QueueCallback>();
            foreach (var operation in body.Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                WorkMeter.Steps(1);
                if (operation is IInvocationOperation queueCreation && api.IsWdf(queueCreation.TargetMethod, QueueCreate) &&
                    SymbolEqualityComparer.Default.Equals(SymbolOf(ArgumentValue(queueCreation, 0)), local) &&
                    ArgumentValue(queueCreation, 2) is { } queueAttributes && Inherits(LevelOf(body, queueAttributes, api, cancellationToken)))
                {
                    callbacks.AddRange(QueueCallbacks(model.SyntaxTree, queueCreation, body, cancellationToken));
                }
            }

            devices.Add(new DeviceQueues(call.Span, callbacks.ToArray(), Passes(model.SyntaxTree, body, local, cancellationToken)));
        }

        return devices.ToArray();
    }

    /// <summary>
    /// One tree's answer (a tree that names the method <paramref name="name"/> and <c>WdfIoQueueCreate</c>): the queues
    /// created in methods named so, on a device that is one of their parameters, with their own level unset or inherited.
    /// </summary>
    private ParameterQueue[] BindParameterQueues(SemanticModel model, SyntaxTreeIndex index, string name, CancellationToken cancellationToken)
    {
        var queues = new List<ParameterQueue>();
        foreach (var (call, invocation, body) in CreatingCalls(model, index, QueueCreate, cancellationToken))
        {
            if (DeclaredName(call) != name || ArgumentValue(invocation, 0) is not IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol method } parameter } ||
                ArgumentValue(invocation, 2) is not { } attributes || !Inherits(LevelOf(body, attributes, _session.Api, cancellationToken)) ||
                SymbolIds.KeyIn(method, model.SyntaxTree) is not { } methodKey)
            {
                continue;
            }

            var keys = QueueCallbacks(model.SyntaxTree, invocation, body, cancellationToken).Select(callback => callback.CallbackKey).ToArray();
            queues.Add(new ParameterQueue(methodKey, parameter.Ordinal, call.Span, keys));
        }

        return queues.ToArray();
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

    /// <summary>The name of the method or local function whose own body makes <paramref name="call"/> (null inside a lambda).</summary>
    private static string? DeclaredName(SyntaxNode call)
    {
        for (var node = call.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax:
                    return null;
                case MethodDeclarationSyntax method:
                    return method.Identifier.ValueText;
                case LocalFunctionStatementSyntax local:
                    return local.Identifier.ValueText;
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The callbacks of the config the queue creation passes, each with the creation's location.</summary>
    private static IEnumerable<QueueCallback> QueueCallbacks(SyntaxTree tree, IInvocationOperation queueCreation, IOperation body, CancellationToken cancellationToken)
    {
        if (ArgumentValue(queueCreation, 1) is not { } config)
        {
            yield break;
        }

        foreach (var callback in CallbacksOf(body, config, cancellationToken))
        {
            if (SymbolIds.KeyIn(callback, tree) is { } key)
            {
                yield return new QueueCallback(key, queueCreation.Syntax.Span, null);
            }
        }
    }

    /// <summary>The methods of the driver <paramref name="body"/> passes the device <paramref name="local"/> to.</summary>
    private DevicePass[] Passes(SyntaxTree tree, IOperation body, ILocalSymbol local, CancellationToken cancellationToken) =>
        PassedTo(body, local, _session.Api, cancellationToken)
            .Select(pass => SymbolIds.KeyIn(pass.Method, tree) is { } key ? new DevicePass(key, pass.Method.Name, pass.Ordinal) : null)
            .OfType<DevicePass>()
            .ToArray();

    /// <summary>The <c>WdfDeviceCreate</c> call of <paramref name="body"/> whose <c>out</c> device is the local <paramref name="device"/> names.</summary>
    private IInvocationOperation? DeviceCreation(IOperation body, IOperation? device, CancellationToken cancellationToken)
    {
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

    private static Location? LocationIn(SyntaxTree tree, TextSpan? span) => span is { } known ? Location.Create(tree, known) : null;

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
