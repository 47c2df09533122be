namespace DriverBuffers;

/// <summary>C's <c>WDF_MEMORY_DESCRIPTOR_TYPE</c>.</summary>
public enum WDF_MEMORY_DESCRIPTOR_TYPE
{
    WdfMemoryDescriptorTypeInvalid = 0,
    WdfMemoryDescriptorTypeBuffer,
    WdfMemoryDescriptorTypeMdl,
    WdfMemoryDescriptorTypeHandle,
}

/// <summary>
/// C's <c>WDF_MEMORY_DESCRIPTOR</c>: a buffer, MDL or memory object for the synchronous I/O target sends.
/// Initialise with <c>WDF_MEMORY_DESCRIPTOR_INIT_BUFFER/_HANDLE/_MDL</c>.
/// </summary>
public sealed class WDF_MEMORY_DESCRIPTOR
{
    public WDF_MEMORY_DESCRIPTOR_TYPE Type { get; set; }

    /// <summary>C's union <c>u</c>.</summary>
    public DescriptorUnion u { get; } = new();

    /// <summary>C's <c>NULL</c> (no buffer); only NULL converts.</summary>
    public static implicit operator WDF_MEMORY_DESCRIPTOR?(PVOID pointer) =>
        NullOnly.Convert<WDF_MEMORY_DESCRIPTOR?>(pointer, null);

    public sealed class DescriptorUnion
    {
        public BufferDescription BufferType { get; } = new();
        public MdlDescription MdlType { get; } = new();
        public HandleDescription HandleType { get; } = new();
    }

    public sealed class BufferDescription
    {
        public PVOID Buffer { get; set; }
        public uint Length { get; set; }
    }

    public sealed class MdlDescription
    {
        public PMDL Mdl { get; set; }
        public uint BufferLength { get; set; }
    }

    public sealed class HandleDescription
    {
        public WDFMEMORY Memory { get; set; }
        public WDFMEMORY_OFFSET? Offsets { get; set; }
    }
}
