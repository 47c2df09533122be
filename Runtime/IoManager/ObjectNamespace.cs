using System;
using System.Collections.Generic;

namespace DriverBuffers.IoManager;

/// <summary>The object manager's names of one runtime: named device objects and symbolic links.</summary>
internal sealed class ObjectNamespace
{
    private readonly object gate = new();
    private readonly Dictionary<string, DEVICE_OBJECT> devices = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> links = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>False if the name is taken.</summary>
    public bool AddDevice(string name, DEVICE_OBJECT device)
    {
        lock (gate) { return devices.TryAdd(name, device); }
    }

    public void RemoveDevice(string name)
    {
        lock (gate) { devices.Remove(name); }
    }

    /// <summary>False if the link name is taken.</summary>
    public bool AddLink(string link, string target)
    {
        lock (gate) { return links.TryAdd(link, target); }
    }

    /// <summary>False if there was no such link.</summary>
    public bool RemoveLink(string link)
    {
        lock (gate) { return links.Remove(link); }
    }

    /// <summary>The symbolic links still present (a driver should delete its links at unload).</summary>
    public IReadOnlyCollection<string> Links
    {
        get { lock (gate) { return new List<string>(links.Keys); } }
    }
}
