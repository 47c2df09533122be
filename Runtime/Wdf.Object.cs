using System;

namespace DriverBuffers;

/// <summary>Generic framework object DDIs.</summary>
public static partial class Wdf
{
    /// <summary>Deletes a framework object and its children (memory from WdfMemoryCreate or a lookaside frees its buffer).</summary>
    public static void WdfObjectDelete(WDFOBJECT Object) => throw new NotImplementedException();

    /// <summary>Takes a reference on a framework object.</summary>
    public static void WdfObjectReference(WDFOBJECT Handle) => throw new NotImplementedException();

    /// <summary>Releases a reference taken with <see cref="WdfObjectReference"/>.</summary>
    public static void WdfObjectDereference(WDFOBJECT Handle) => throw new NotImplementedException();
}
