using System.Collections.Immutable;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Analyses.Requests;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Lifetime;

/// <summary>
/// Recognizes queue callbacks, whose request the driver must complete, forward, send or keep on every path
/// (DRV004): methods and lambdas whose parameters match <c>EVT_WDF_IO_QUEUE_IO_READ</c>, <c>..._WRITE</c> or
/// <c>..._DEVICE_CONTROL</c>. <c>EVT_WDF_IO_IN_CALLER_CONTEXT</c> is not one: the framework queues its request.
/// </summary>
internal sealed class QueueCallbacks
{
    private static readonly string[] DelegateNames =
    {
        "DriverBuffers.EVT_WDF_IO_QUEUE_IO_READ",
        "DriverBuffers.EVT_WDF_IO_QUEUE_IO_WRITE",
        "DriverBuffers.EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL",
    };

    private readonly ImmutableArray<INamedTypeSymbol> _delegates;
    private readonly RequestAnalysisContext _requests;

    public QueueCallbacks(RequestAnalysisContext requests)
    {
        _requests = requests;
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var name in DelegateNames)
        {
            if (requests.Api.TypeOf(name) is { DelegateInvokeMethod: not null } type)
            {
                builder.Add(type);
            }
        }

        _delegates = builder.ToImmutable();
    }

    /// <summary>True when <paramref name="type"/> is one of the queue callback delegate types.</summary>
    public bool IsCallbackDelegate(ITypeSymbol? type)
    {
        foreach (var candidate in _delegates)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The request parameter of <paramref name="method"/> when it has a queue callback's signature; otherwise null.</summary>
    public IParameterSymbol? RequestParameter(IMethodSymbol method)
    {
        if (!method.ReturnsVoid)
        {
            return null;
        }

        foreach (var type in _delegates)
        {
            var invoke = type.DelegateInvokeMethod!;
            if (invoke.Parameters.Length != method.Parameters.Length)
            {
                continue;
            }

            var matches = true;
            IParameterSymbol? request = null;
            for (var i = 0; i < invoke.Parameters.Length && matches; i++)
            {
                matches = SymbolEqualityComparer.Default.Equals(invoke.Parameters[i].Type, method.Parameters[i].Type) &&
                          method.Parameters[i].RefKind == RefKind.None;
                if (matches && _requests.IsRequestType(method.Parameters[i].Type))
                {
                    request = method.Parameters[i];
                }
            }

            if (matches && request is not null)
            {
                return request;
            }
        }

        return null;
    }
}
