using System.Resources;

namespace DriverBuffers.Analyzers;

/// <summary>Access to <c>Resources.resx</c>, where every user-facing string of the analyzers lives.</summary>
internal static class Resources
{
    public static ResourceManager ResourceManager { get; } =
        new ResourceManager("DriverBuffers.Analyzers.Resources", typeof(Resources).Assembly);
}
