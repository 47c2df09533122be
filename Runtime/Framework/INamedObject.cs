namespace DriverBuffers.Framework;

/// <summary>Something a handle points at: it has a process-wide unique number used in handle names.</summary>
internal interface INamedObject
{
    long Id { get; }
}
