using System;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Reuse;

/// <summary>
/// Names a request handle that the reuse rules track: a local, a parameter (also one captured by a lambda or
/// local function), or a field of <c>this</c>, of a static or of a local or parameter (a device context).
/// </summary>
internal readonly struct RequestKey : IEquatable<RequestKey>
{
    private RequestKey(ISymbol symbol, ISymbol? instance)
    {
        Symbol = symbol;
        Instance = instance;
    }

    /// <summary>The local, parameter or field.</summary>
    public ISymbol Symbol { get; }

    /// <summary>For a field of a local, a parameter or a field of <c>this</c>: that holder; otherwise null.</summary>
    public ISymbol? Instance { get; }

    public bool IsField => Symbol is IFieldSymbol or IPropertySymbol;

    public static RequestKey ForSymbol(ISymbol symbol) => new(symbol, null);

    /// <summary>The key of a reference to a request, looking through conversions and parentheses; null when the value has no stable name.</summary>
    public static RequestKey? From(IOperation? operation)
    {
        operation = OperationUnwrap.Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return new RequestKey(local.Local, null);
            case IParameterReferenceOperation parameter:
                return new RequestKey(parameter.Parameter, null);
            case IFieldReferenceOperation field:
                return FromMember(field.Field, field.Instance);
            case IPropertyReferenceOperation { Arguments.IsEmpty: true } property:
                return FromMember(property.Property, property.Instance);
            default:
                return null;
        }
    }

    private static RequestKey? FromMember(ISymbol member, IOperation? instance)
    {
        instance = OperationUnwrap.Unwrap(instance);
        switch (instance)
        {
            case null:
            case IInstanceReferenceOperation:
                return new RequestKey(member, null);
            case ILocalReferenceOperation local:
                return new RequestKey(member, local.Local);
            case IParameterReferenceOperation parameter:
                return new RequestKey(member, parameter.Parameter);
            case IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation } holder:
                return new RequestKey(member, holder.Member); // this.Context.Reader
            default:
                return null;
        }
    }

    public bool Equals(RequestKey other) =>
        SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol) &&
        SymbolEqualityComparer.Default.Equals(Instance, other.Instance);

    public override bool Equals(object? obj) => obj is RequestKey other && Equals(other);

    public override int GetHashCode() =>
        (SymbolEqualityComparer.Default.GetHashCode(Symbol) * 397) ^
        (Instance is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(Instance));

    public override string ToString() => Instance is null ? Symbol.Name : Instance.Name + "." + Symbol.Name;
}
