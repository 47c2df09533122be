namespace DriverBuffers;

/// <summary>C's <c>WDFMEMORY_OFFSET</c>: a sub-range of a memory object's buffer.</summary>
public sealed class WDFMEMORY_OFFSET
{
    public nuint BufferOffset { get; set; }

    public nuint BufferLength { get; set; }

    /// <summary>C's <c>NULL</c> (the whole buffer); only NULL converts.</summary>
    public static implicit operator WDFMEMORY_OFFSET?(PVOID pointer) =>
        NullOnly.Convert<WDFMEMORY_OFFSET?>(pointer, null);
}
