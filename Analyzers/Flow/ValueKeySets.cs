using System.Collections.Immutable;

using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Catalog;

namespace DriverBuffers.Analyzers.Flow;

/// <summary>One-element sets of keys, shared: resolving a request that has no alias is frequent.</summary>
internal static class ValueKeySets
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, ImmutableHashSet<ValueKey>> BySymbol = new();

    public static ImmutableHashSet<ValueKey> Of(ValueKey key)
    {
        if (key.Symbol is not { } symbol)
        {
            return RequestLifetimeState.NoRequests.Add(key);
        }

        return BySymbol.GetValue(symbol, _ => RequestLifetimeState.NoRequests.Add(key));
    }
}
