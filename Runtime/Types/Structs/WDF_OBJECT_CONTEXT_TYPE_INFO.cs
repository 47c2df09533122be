using System;

namespace DriverBuffers;

/// <summary>
/// C's <c>WDF_OBJECT_CONTEXT_TYPE_INFO</c>: which context a new object gets. Made by
/// <see cref="Wdf.WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE{T}"/>; a context is a new <c>T</c> (C zero-fills it).
/// </summary>
public sealed class WDF_OBJECT_CONTEXT_TYPE_INFO
{
    private WDF_OBJECT_CONTEXT_TYPE_INFO(Type contextType, Func<object> create)
    {
        ContextType = contextType;
        Create = create;
    }

    /// <summary>The context type's name (C's <c>ContextName</c>).</summary>
    public string ContextName => ContextType.Name;

    internal Type ContextType { get; }

    internal Func<object> Create { get; }

    internal static WDF_OBJECT_CONTEXT_TYPE_INFO For<T>() where T : class, new() => new(typeof(T), () => new T());

    /// <summary>The context type's name.</summary>
    public override string ToString() => ContextName;
}
