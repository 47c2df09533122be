using System.Runtime.CompilerServices;
using DriverBuffers.Framework;

namespace DriverBuffers;

/// <summary>Shared text and hashing for the handle structs.</summary>
internal static class HandleText
{
    public static string Name(string typeName, INamedObject? obj) =>
        obj is null ? $"{typeName}(NULL)" : $"{typeName}#{obj.Id}";

    public static int Hash(object? obj) => obj is null ? 0 : RuntimeHelpers.GetHashCode(obj);
}
