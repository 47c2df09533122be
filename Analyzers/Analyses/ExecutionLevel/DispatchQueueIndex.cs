using System;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// The I/O callbacks of queues the driver created at DISPATCH_LEVEL: <c>WdfIoQueueCreate(device, config, attributes,
/// out queue)</c> where the method that calls it sets <c>attributes.ExecutionLevel = WdfExecutionLevelDispatch</c> (on
/// the local it passes, or in an object initializer written as the argument), or leaves the queue's level unset or
/// inherited and creates <c>device</c> there with <c>WdfDeviceCreate</c> attributes set to it; every method it sets as one of the
/// config's <c>EvtIo…</c> callbacks (on the config local it passes) may run at DISPATCH_LEVEL. Flow-insensitive
/// within that method. Gathered once per compilation, on the first question, binding only the trees that mention
/// <c>WdfExecutionLevelDispatch</c> (none in most drivers), each once (and kept across IDE edits).
/// </summary>
internal sealed class DispatchQueueIndex
{
    private const string QueueCreate = "WdfIoQueueCreate";
    private const string DeviceCreate = "WdfDeviceCreate";
    private const string DispatchLevel = "WdfExecutionLevelDispatch";
    private const string InheritLevel = "WdfExecutionLevelInheritFromParent";

    private readonly AnalysisSession _session;
    private readonly CallsInTreesNaming _calls;
    private readonly object _gate = new();
    private static readonly TreeFacts<QueueCallback[]> TreeCallbacks = new();

    private List<(SyntaxTree Tree, QueueCallback Callback)>? _roots;

    public DispatchQueueIndex(AnalysisSession session)
    {
        _session = session;
        _calls = new CallsInTreesNaming(session, new[] { DispatchLevel });
    }

    /// <summary>Why <paramref name="method"/> runs at DISPATCH_LEVEL when it is a callback of such a queue; otherwise null.</summary>
    public DispatchContext? RootOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var (tree, callback) in Roots(cancellationToken))
        {
            if (callback.CallbackKey == SymbolIds.KeyIn(method, tree))
            {
                return DispatchContext.QueueCallback(
                    method.Name, Location.Create(tree, callback.Creation), callback.Device is { } device ? Location.Create(tree, device) : null);
            }
        }

        return null;
    }

    /// <summary>Every such callback of the compilation, gathered once (on the first question) from the trees that name the dispatch level.</summary>
    private List<(SyntaxTree Tree, QueueCallback Callback)> Roots(CancellationToken cancellationToken)
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

    private List<(SyntaxTree Tree, QueueCallback Callback)> Gather(CancellationToken cancellationToken)
    {
        var roots = new List<(SyntaxTree, QueueCallback)>();
        foreach (var (tree, answer) in _calls.Answers(TreeCallbacks, null, Bind, cancellationToken))
        {
            foreach (var callback in answer)
            {
                roots.Add((tree, callback));
            }
        }

        return roots;
    }

    /// <summary>One tree's answer: the callbacks of the dispatch-level queues it creates.</summary>
    private QueueCallback[] Bind(SemanticModel model, SyntaxTreeIndex index, CancellationToken cancellationToken)
    {
        var roots = new List<QueueCallback>();
        foreach (var call in CallsInTreesNaming.AllCalls(model.SyntaxTree, cancellationToken))
        {
            if (!CallsInTreesNaming.EndsWithName(call.Expression, QueueCreate) || call.ArgumentList.Arguments.Count < 3 ||
                model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation ||
                !_session.Api.IsWdf(invocation.TargetMethod, QueueCreate) ||
                EnclosingBody(invocation) is not { } body)
            {
                continue;
            }

            var config = ArgumentValue(invocation, 1);
            var attributes = ArgumentValue(invocation, 2);
            if (config is null || attributes is null)
            {
                continue;
            }

            // The queue's own level, else (unset or inherited) the level of the device created in the same method.
            var level = LevelOf(body, attributes, cancellationToken);
            Microsoft.CodeAnalysis.Text.TextSpan? device = null;
            if (level is null or InheritLevel && DeviceCreation(body, ArgumentValue(invocation, 0), cancellationToken) is { } creation &&
                ArgumentValue(creation, 1) is { } deviceAttributes)
            {
                level = LevelOf(body, deviceAttributes, cancellationToken);
                device = creation.Syntax.Span;
            }

            if (level != DispatchLevel)
            {
                continue;
            }

            foreach (var callback in CallbacksOf(body, config, cancellationToken))
            {
                if (SymbolIds.KeyIn(callback, model.SyntaxTree) is { } key)
                {
                    roots.Add(new QueueCallback(key, call.Span, device));
                }
            }
        }

        return roots.ToArray();
    }

    /// <summary>The body of the method, local function or lambda that makes <paramref name="invocation"/>.</summary>
    private static IOperation? EnclosingBody(IOperation invocation)
    {
        IOperation? body = null;
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is IBlockOperation block)
            {
                body = block;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
            {
                break;
            }
        }

        return body;
    }

    private static IOperation? ArgumentValue(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return Strip(argument.Value);
            }
        }

        return null;
    }

    /// <summary>
    /// The name of the execution level the attributes passed are set to in <paramref name="body"/> or in their initializer
    /// (<c>WdfExecutionLevelDispatch</c>, <c>…Passive</c>, <c>…InheritFromParent</c>); null when it is not set to one.
    /// </summary>
    private string? LevelOf(IOperation body, IOperation attributes, CancellationToken cancellationToken)
    {
        string? level = null;
        foreach (var (property, value) in Assignments(body, attributes, cancellationToken))
        {
            if (property.Name == "ExecutionLevel" && Strip(value) is IFieldReferenceOperation field && IsExecutionLevel(field.Field))
            {
                // Set to two levels in one method: no single level is known.
                if (level is not null && level != field.Field.Name)
                {
                    return null;
                }

                level = field.Field.Name;
            }
        }

        return level;
    }

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
                ArgumentValue(call, 2) is { } created &&
                SymbolEqualityComparer.Default.Equals(SymbolOf(created is IDeclarationExpressionOperation declaration ? declaration.Expression : created), local))
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>An execution level: the API's constant, or the member of its <c>WDF_EXECUTION_LEVEL</c> enum.</summary>
    private bool IsExecutionLevel(IFieldSymbol field) =>
        field.Name.StartsWith("WdfExecutionLevel", StringComparison.Ordinal) &&
        (_session.Api.IsConstant(field, field.Name) ||
         (field.ContainingType.TypeKind == TypeKind.Enum &&
          SymbolEqualityComparer.Default.Equals(field.ContainingAssembly, _session.Api.Wdf.ContainingAssembly)));

    /// <summary>The methods set as an <c>EvtIo…</c> callback of the config passed.</summary>
    private static IEnumerable<IMethodSymbol> CallbacksOf(IOperation body, IOperation config, CancellationToken cancellationToken)
    {
        foreach (var (property, value) in Assignments(body, config, cancellationToken))
        {
            if (property.Name.StartsWith("EvtIo", StringComparison.Ordinal) &&
                Strip(value) is IMethodReferenceOperation reference)
            {
                yield return reference.Method.OriginalDefinition;
            }
        }
    }

    /// <summary>
    /// The property assignments made on <paramref name="target"/>: on the same local or parameter anywhere in
    /// <paramref name="body"/>, or in the initializer of the object created as the argument.
    /// </summary>
    private static IEnumerable<(IPropertySymbol Property, IOperation Value)> Assignments(IOperation body, IOperation target, CancellationToken cancellationToken)
    {
        if (target is IObjectCreationOperation { Initializer: { } initializer })
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
                {
                    yield return (property.Property, assignment.Value);
                }
            }

            yield break;
        }

        var symbol = SymbolOf(target);
        if (symbol is null)
        {
            yield break;
        }

        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            WorkMeter.Steps(1);
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } property } assignment &&
                SymbolEqualityComparer.Default.Equals(SymbolOf(Strip(instance)), symbol))
            {
                yield return (property.Property, assignment.Value);
            }
        }
    }

    private static ISymbol? SymbolOf(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    private static IOperation Strip(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IDelegateCreationOperation creation:
                    operation = creation.Target;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>A queue callback kept with its tree: the method's key (<see cref="SymbolIds.KeyIn"/>), the queue's creation, the device's.</summary>
    private sealed class QueueCallback
    {
        public QueueCallback(string callbackKey, Microsoft.CodeAnalysis.Text.TextSpan creation, Microsoft.CodeAnalysis.Text.TextSpan? device)
        {
            CallbackKey = callbackKey;
            Creation = creation;
            Device = device;
        }

        public string CallbackKey { get; }

        public Microsoft.CodeAnalysis.Text.TextSpan Creation { get; }

        public Microsoft.CodeAnalysis.Text.TextSpan? Device { get; }
    }
}
