using System;

namespace DriverBuffers;

/// <summary>Framework memory objects (WDFMEMORY).</summary>
public static partial class Wdf
{
    /// <summary>Creates a memory object that owns a new pool buffer of <paramref name="BufferSize"/> bytes.</summary>
    public static NTSTATUS WdfMemoryCreate(WDF_OBJECT_ATTRIBUTES? Attributes, POOL_TYPE PoolType, uint PoolTag,
        nuint BufferSize, out WDFMEMORY Memory, out PVOID Buffer) => throw new NotImplementedException();

    /// <summary><see cref="WdfMemoryCreate(WDF_OBJECT_ATTRIBUTES?, POOL_TYPE, uint, nuint, out WDFMEMORY, out PVOID)"/> with C's <c>NULL</c> for the optional buffer pointer.</summary>
    public static NTSTATUS WdfMemoryCreate(WDF_OBJECT_ATTRIBUTES? Attributes, POOL_TYPE PoolType, uint PoolTag,
        nuint BufferSize, out WDFMEMORY Memory, PVOID Buffer) => throw new NotImplementedException();

    /// <summary>Creates a memory object over a buffer the driver owns (the object does not own it).</summary>
    public static NTSTATUS WdfMemoryCreatePreallocated(WDF_OBJECT_ATTRIBUTES? Attributes, PVOID Buffer,
        nuint BufferSize, out WDFMEMORY Memory) => throw new NotImplementedException();

    /// <summary>Creates a memory object whose buffer comes from a lookaside list.</summary>
    public static NTSTATUS WdfMemoryCreateFromLookaside(WDFLOOKASIDE Lookaside, out WDFMEMORY Memory) =>
        throw new NotImplementedException();

    /// <summary>Returns the buffer of a memory object and its size.</summary>
    public static PVOID WdfMemoryGetBuffer(WDFMEMORY Memory, out nuint BufferSize) => throw new NotImplementedException();

    /// <summary><see cref="WdfMemoryGetBuffer(WDFMEMORY, out nuint)"/> with C's <c>NULL</c> for the size.</summary>
    public static PVOID WdfMemoryGetBuffer(WDFMEMORY Memory, PVOID BufferSize) => throw new NotImplementedException();

    /// <summary>Copies <paramref name="NumBytesToCopyFrom"/> bytes from <paramref name="SourceBuffer"/> into the memory object, bounds-checked.</summary>
    public static NTSTATUS WdfMemoryCopyFromBuffer(WDFMEMORY DestinationMemory, nuint DestinationOffset,
        PVOID SourceBuffer, nuint NumBytesToCopyFrom) => throw new NotImplementedException();

    /// <summary>Copies <paramref name="NumBytesToCopyTo"/> bytes out of the memory object into <paramref name="Buffer"/>, bounds-checked.</summary>
    public static NTSTATUS WdfMemoryCopyToBuffer(WDFMEMORY SourceMemory, nuint SourceOffset, PVOID Buffer,
        nuint NumBytesToCopyTo) => throw new NotImplementedException();

    /// <summary>Points a memory object created by <c>WdfMemoryCreatePreallocated</c> at another buffer.</summary>
    public static NTSTATUS WdfMemoryAssignBuffer(WDFMEMORY Memory, PVOID Buffer, nuint BufferSize) =>
        throw new NotImplementedException();
}
