using System;

namespace DriverBuffers;

/// <summary>
/// A raised NT exception (C's <c>ExRaiseStatus</c>): thrown by <c>ProbeForRead</c>/<c>ProbeForWrite</c>
/// and by allocators asked to raise on failure. Driver code catches it where C uses <c>__try/__except</c>.
/// </summary>
public class NtStatusException : Exception
{
    public NtStatusException(NTSTATUS status, string message)
        : base($"{status}: {message}") => Status = status;

    public NtStatusException(NTSTATUS status)
        : this(status, "exception raised") { }

    /// <summary>The raised status (C's <c>GetExceptionCode()</c>).</summary>
    public NTSTATUS Status { get; }
}
