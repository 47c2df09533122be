using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>The <c>WDF_*_INIT</c> structure initialisers and the size/timeout helpers.</summary>
public static partial class Wdf
{
    public static void WDF_OBJECT_ATTRIBUTES_INIT(out WDF_OBJECT_ATTRIBUTES Attributes) =>
        Attributes = new WDF_OBJECT_ATTRIBUTES { Size = 56 };

    public static void WDF_REQUEST_PARAMETERS_INIT(out WDF_REQUEST_PARAMETERS Parameters) =>
        Parameters = new WDF_REQUEST_PARAMETERS { Size = 56 };

    public static void WDF_REQUEST_REUSE_PARAMS_INIT(out WDF_REQUEST_REUSE_PARAMS Params, uint Flags, NTSTATUS Status) =>
        Params = new WDF_REQUEST_REUSE_PARAMS { Size = 24, Flags = Flags, Status = Status };

    public static void WDF_REQUEST_SEND_OPTIONS_INIT(out WDF_REQUEST_SEND_OPTIONS Options, uint Flags) =>
        Options = new WDF_REQUEST_SEND_OPTIONS { Size = 16, Flags = Flags };

    /// <summary>Sets the timeout and the <c>WDF_REQUEST_SEND_OPTION_TIMEOUT</c> flag.</summary>
    public static void WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT(WDF_REQUEST_SEND_OPTIONS Options, long Timeout)
    {
        if (!Framework.RequiredParameter.Present(Options, nameof(WDF_REQUEST_SEND_OPTIONS_SET_TIMEOUT), nameof(Options)))
        {
            return;
        }
        Options.Flags |= WDF_REQUEST_SEND_OPTION_TIMEOUT;
        Options.Timeout = Timeout;
    }

    public static void WDF_REQUEST_COMPLETION_PARAMS_INIT(out WDF_REQUEST_COMPLETION_PARAMS Params) =>
        Params = new WDF_REQUEST_COMPLETION_PARAMS { Size = 64 };

    public static void WDF_MEMORY_DESCRIPTOR_INIT_BUFFER(out WDF_MEMORY_DESCRIPTOR Descriptor, PVOID Buffer, uint BufferLength)
    {
        Descriptor = new WDF_MEMORY_DESCRIPTOR { Type = WdfMemoryDescriptorTypeBuffer };
        Descriptor.u.BufferType.Buffer = Buffer;
        Descriptor.u.BufferType.Length = BufferLength;
    }

    public static void WDF_MEMORY_DESCRIPTOR_INIT_HANDLE(out WDF_MEMORY_DESCRIPTOR Descriptor, WDFMEMORY Memory, WDFMEMORY_OFFSET? Offsets)
    {
        Descriptor = new WDF_MEMORY_DESCRIPTOR { Type = WdfMemoryDescriptorTypeHandle };
        Descriptor.u.HandleType.Memory = Memory;
        Descriptor.u.HandleType.Offsets = Offsets;
    }

    public static void WDF_MEMORY_DESCRIPTOR_INIT_MDL(out WDF_MEMORY_DESCRIPTOR Descriptor, PMDL Mdl, uint BufferLength)
    {
        Descriptor = new WDF_MEMORY_DESCRIPTOR { Type = WdfMemoryDescriptorTypeMdl };
        Descriptor.u.MdlType.Mdl = Mdl;
        Descriptor.u.MdlType.BufferLength = BufferLength;
    }

    /// <summary>Rounds <paramref name="Length"/> up to a multiple of <paramref name="AlignTo"/> (a power of two).</summary>
    public static nuint WDF_ALIGN_SIZE_UP(nuint Length, nuint AlignTo) => (Length + AlignTo - 1) & ~(AlignTo - 1);

    /// <summary>Rounds <paramref name="Length"/> down to a multiple of <paramref name="AlignTo"/> (a power of two).</summary>
    public static nuint WDF_ALIGN_SIZE_DOWN(nuint Length, nuint AlignTo) => Length & ~(AlignTo - 1);

    /// <summary>A relative timeout in 100 ns units (negative), as in C.</summary>
    public static long WDF_REL_TIMEOUT_IN_MS(ulong Time) => -1 * (long)Time * 10_000;

    public static long WDF_REL_TIMEOUT_IN_SEC(ulong Time) => -1 * (long)Time * 10_000_000;

    public static long WDF_ABS_TIMEOUT_IN_MS(ulong Time) => (long)Time * 10_000;
}
