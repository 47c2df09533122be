namespace DriverBuffers;

/// <summary>
/// The type of <see cref="Wdf.WDF_NO_HANDLE"/>: converts implicitly to every handle type as its null handle.
/// </summary>
public readonly struct WdfNoHandle
{
    public override string ToString() => "WDF_NO_HANDLE";
}
