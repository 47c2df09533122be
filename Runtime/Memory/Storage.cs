namespace DriverBuffers.Memory;

/// <summary>
/// Bytes that one or more <see cref="Allocation"/>s look at (a user buffer seen through its user address
/// and through an MDL's system mapping share one storage). Its lock serialises every access and every
/// change of an allocation's liveness, so a check and the copy it guards are atomic.
/// </summary>
internal sealed class Storage
{
    public Storage(int length) => Bytes = new byte[length];

    public Storage(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public object Gate => this;
}
