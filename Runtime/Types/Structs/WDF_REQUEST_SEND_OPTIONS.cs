namespace DriverBuffers;

/// <summary>C's <c>WDF_REQUEST_SEND_OPTIONS</c>; initialise with <see cref="Wdf.WDF_REQUEST_SEND_OPTIONS_INIT"/>.</summary>
public sealed class WDF_REQUEST_SEND_OPTIONS
{
    public uint Size { get; set; }

    /// <summary><c>WDF_REQUEST_SEND_OPTION_*</c> flags.</summary>
    public uint Flags { get; set; }

    /// <summary>Timeout in 100 ns units, negative = relative (see <see cref="Wdf.WDF_REL_TIMEOUT_IN_MS"/>).</summary>
    public long Timeout { get; set; }

    /// <summary>C's <c>NULL</c> (<c>WDF_NO_SEND_OPTIONS</c>); only NULL converts.</summary>
    public static implicit operator WDF_REQUEST_SEND_OPTIONS?(PVOID pointer) =>
        NullOnly.Convert<WDF_REQUEST_SEND_OPTIONS?>(pointer, null);
}
