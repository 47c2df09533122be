namespace DriverBuffers;

/// <summary>C's <c>WDF_REQUEST_REUSE_PARAMS</c>; initialise with <see cref="Wdf.WDF_REQUEST_REUSE_PARAMS_INIT"/>.</summary>
public sealed class WDF_REQUEST_REUSE_PARAMS
{
    public uint Size { get; set; }

    /// <summary><see cref="Wdf.WDF_REQUEST_REUSE_NO_FLAGS"/> or <see cref="Wdf.WDF_REQUEST_REUSE_SET_NEW_IRP"/>.</summary>
    public uint Flags { get; set; }

    /// <summary>The status the reused request starts with.</summary>
    public NTSTATUS Status { get; set; }

    /// <summary>With <c>WDF_REQUEST_REUSE_SET_NEW_IRP</c>: the IRP the request now wraps.</summary>
    public IRP? NewIrp { get; set; }
}
