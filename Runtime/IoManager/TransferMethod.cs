namespace DriverBuffers.IoManager;

/// <summary>How one direction of a request carries its buffer (reference 001).</summary>
internal enum TransferMethod
{
    /// <summary>No buffer in this direction.</summary>
    None,
    /// <summary>Copied through a system buffer (<c>DO_BUFFERED_IO</c>, <c>METHOD_BUFFERED</c>).</summary>
    Buffered,
    /// <summary>The user pages locked behind an MDL (<c>DO_DIRECT_IO</c>, <c>METHOD_IN/OUT_DIRECT</c>).</summary>
    Direct,
    /// <summary>The raw user address (neither flag, <c>METHOD_NEITHER</c>): probe before use.</summary>
    Neither,
}
