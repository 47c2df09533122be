namespace DriverBuffers;

/// <summary>C's <c>IO_STATUS_BLOCK</c>: the final status and information (usually bytes transferred).</summary>
public sealed class IO_STATUS_BLOCK
{
    public NTSTATUS Status { get; set; }

    /// <summary>C's <c>ULONG_PTR Information</c>.</summary>
    public nuint Information { get; set; }
}
