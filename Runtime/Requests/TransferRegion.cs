using DriverBuffers.Memory;

namespace DriverBuffers.Requests;

/// <summary>A buffer a formatted request transfers into or out of, and the memory object it came from (if any).</summary>
internal sealed record TransferRegion(PVOID Buffer, nuint Length, WdfMemoryObject? Memory);
