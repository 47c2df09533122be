using System.Collections.Generic;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>
/// Flow-insensitive facts of one member body (its lambdas and local functions included), gathered in one
/// iterative walk: where each memory local came from, and which send-options locals ask for a synchronous or
/// send-and-forget send (such a send needs no completion routine).
/// </summary>
internal sealed class ReuseBodyFacts
{
    private const uint SynchronousOrForget = 0x2 | 0x8;

    /// <summary>A memory local's origin: the request it was retrieved from, or null for memory the driver owns.</summary>
    private readonly Dictionary<ILocalSymbol, RequestKey?> _memoryOrigins = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> _conflicting = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> _synchronousOptions = new(SymbolEqualityComparer.Default);

    private readonly ReuseModel _model;

    private ReuseBodyFacts(ReuseModel model) => _model = model;

    public static ReuseBodyFacts Collect(IOperation body, DriverApi api, ReuseModel model)
    {
        var facts = new ReuseBodyFacts(model);
        var stack = new Stack<IOperation>();
        stack.Push(body);
        var budget = 200_000;
        while (stack.Count > 0 && --budget > 0)
        {
            var operation = stack.Pop();
            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }

            if (operation is not IInvocationOperation invocation || !api.IsDdi(invocation.TargetMethod))
            {
                continue;
            }

            var method = invocation.TargetMethod;
            if (api.IsWdf(method, ReuseDdis.WdfRequestRetrieveInputMemory) ||
                api.IsWdf(method, ReuseDdis.WdfRequestRetrieveOutputMemory))
            {
                facts.AddOrigin(ReuseDdis.Argument(invocation, "Memory", 1)?.Value, RequestKey.From(ReuseDdis.Argument(invocation, "Request", 0)?.Value));
            }
            else if (ReuseDdis.IsMemoryCreation(api, method))
            {
                foreach (var memory in ReuseDdis.CreatedMemory(invocation))
                {
                    facts.AddOrigin(memory, null);
                }
            }
            else if (api.IsWdf(method, ReuseDdis.WDF_REQUEST_SEND_OPTIONS_INIT) &&
                     OperationUnwrap.Unwrap(ReuseDdis.Argument(invocation, "Options", 0)?.Value) is ILocalReferenceOperation options &&
                     ReuseDdis.Argument(invocation, "Flags", 1)?.Value.ConstantValue is { HasValue: true, Value: uint flags } &&
                     (flags & SynchronousOrForget) != 0)
            {
                facts._synchronousOptions.Add(options.Local);
            }
        }

        return facts;
    }

    private void AddOrigin(IOperation? memory, RequestKey? origin)
    {
        if (OperationUnwrap.Unwrap(memory) is not ILocalReferenceOperation local)
        {
            return;
        }

        if (_memoryOrigins.TryGetValue(local.Local, out var known) && !Equals(known, origin))
        {
            _conflicting.Add(local.Local);
        }

        _memoryOrigins[local.Local] = origin;
    }

    /// <summary>
    /// False when the memory is known not to belong to <paramref name="completed"/>: the driver owns it (created
    /// here, or kept in a field that only ever holds memory the driver created), or it was retrieved from another
    /// request. True when it may (unknown origin included).
    /// </summary>
    public bool MayBelongTo(IOperation memory, RequestKey? completed)
    {
        if (RequestKey.From(memory) is { IsField: true } member && _model.IsDriverOwnedMemoryMember(member.Symbol.OriginalDefinition))
        {
            return false;
        }

        if (OperationUnwrap.Unwrap(memory) is not ILocalReferenceOperation local ||
            _conflicting.Contains(local.Local) ||
            !_memoryOrigins.TryGetValue(local.Local, out var origin))
        {
            return true;
        }

        return origin is { } request && (completed is null || request.Equals(completed.Value));
    }

    /// <summary>True when <paramref name="options"/> is a local set up for a synchronous or send-and-forget send.</summary>
    public bool IsSynchronous(IOperation? options) =>
        OperationUnwrap.Unwrap(options) is ILocalReferenceOperation local && _synchronousOptions.Contains(local.Local);
}
