namespace DriverBuffers;

/// <summary>C's <c>WDF_TRI_STATE</c>.</summary>
public enum WDF_TRI_STATE
{
    /// <summary>No.</summary>
    WdfFalse = 0,
    /// <summary>Yes.</summary>
    WdfTrue = 1,
    /// <summary>The framework's default.</summary>
    WdfUseDefault = 2,
}
