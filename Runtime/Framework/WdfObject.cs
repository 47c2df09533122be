namespace DriverBuffers.Framework;

/// <summary>The object behind every framework handle: identity, parent, children, references, deletion.</summary>
internal abstract class WdfObject : INamedObject
{
    protected WdfObject(DriverRuntime runtime, string kind)
    {
        Runtime = runtime;
        Kind = kind;
        Id = ObjectIds.Next();
    }

    public DriverRuntime Runtime { get; }

    public long Id { get; }

    /// <summary>The handle type name, e.g. "WDFMEMORY".</summary>
    public string Kind { get; }

    public string HandleName => $"{Kind}#{Id}";

    public override string ToString() => HandleName;
}
