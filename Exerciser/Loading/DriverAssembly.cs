using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace DriverBuffers.Exercising.Loading;

/// <summary>
/// What the exerciser learns from the driver assembly before running it: its drivers (each class with a
/// <c>static NTSTATUS DriverEntry(DRIVER_OBJECT, UNICODE_STRING)</c>) and its own IOCTL codes (integer constants and
/// static readonly fields named <c>IOCTL_*</c>).
/// </summary>
internal sealed class DriverAssembly
{
    private DriverAssembly(string path, IReadOnlyList<string> driverTypes, IReadOnlyList<uint> ioControlCodes, IReadOnlyList<string> deviceNames,
        bool optimized)
    {
        Optimized = optimized;
        Path = path;
        DriverTypes = driverTypes;
        IoControlCodes = ioControlCodes;
        DeviceNames = deviceNames;
    }

    public string Path { get; }

    /// <summary>Full names of the types that declare a <c>DriverEntry</c>, in a stable order.</summary>
    public IReadOnlyList<string> DriverTypes { get; }

    /// <summary>The driver's IOCTL codes, sorted, without duplicates.</summary>
    public IReadOnlyList<uint> IoControlCodes { get; }

    /// <summary>
    /// The device names the driver's code mentions (string literals starting with <c>\Device\</c>, <c>\??\</c> or
    /// <c>\DosDevices\</c>): the targets it may open by name, which the host must provide before it does.
    /// </summary>
    public IReadOnlyList<string> DeviceNames { get; }

    /// <summary>
    /// Whether the JIT optimizes the driver (a Release build): the IL offsets of its frames then often point at the
    /// statement before the call, so source lines may be off.
    /// </summary>
    public bool Optimized { get; }

    /// <summary>Inspects the assembly in a throw-away load context.</summary>
    public static DriverAssembly Inspect(string assemblyPath)
    {
        var context = new DriverLoadContext(assemblyPath);
        try
        {
            var types = LoadableTypes(context.Driver);
            var drivers = types.Where(t => FindDriverEntry(t) is not null).Select(t => t.FullName!).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var codes = types.SelectMany(IoctlValues).Distinct().OrderBy(c => c).ToList();
            bool optimized = context.Driver.GetCustomAttribute<System.Diagnostics.DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
            return new DriverAssembly(System.IO.Path.GetFullPath(assemblyPath), drivers, codes, ReadDeviceNames(assemblyPath), optimized);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The <c>DriverEntry</c> method of a type, matched by its WDK signature.</summary>
    public static MethodInfo? FindDriverEntry(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .FirstOrDefault(m => m.Name == "DriverEntry"
                                 && m.ReturnType == typeof(NTSTATUS)
                                 && m.GetParameters() is [{ ParameterType.Name: "DRIVER_OBJECT" }, { ParameterType.Name: "UNICODE_STRING" }]);

    private static IReadOnlyList<string> ReadDeviceNames(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = metadata.GetNextHandle(handle))
        {
            string text = metadata.GetUserString(handle);
            if (text.StartsWith(@"\Device\", StringComparison.OrdinalIgnoreCase) || text.StartsWith(@"\??\", StringComparison.Ordinal)
                || text.StartsWith(@"\DosDevices\", StringComparison.OrdinalIgnoreCase))
            {
                names.Add(text);
            }
        }
        return names.ToList();
    }

    private static IReadOnlyList<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            return partial.Types.Where(t => t is not null).ToList()!;
        }
    }

    private static IEnumerable<uint> IoctlValues(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(all))
        {
            if (!field.Name.StartsWith("IOCTL_", StringComparison.Ordinal) || !(field.IsLiteral || field.IsInitOnly))
            {
                continue;
            }
            object? value;
            try
            {
                value = field.IsLiteral ? field.GetRawConstantValue() : field.GetValue(null);
            }
            catch (Exception e) when (e is TargetInvocationException or TypeInitializationException or InvalidOperationException)
            {
                continue;
            }
            switch (value)
            {
                case uint u: yield return u; break;
                case int i: yield return unchecked((uint)i); break;
                case long l when l is >= 0 and <= uint.MaxValue: yield return (uint)l; break;
                case ulong ul when ul <= uint.MaxValue: yield return (uint)ul; break;
            }
        }
    }
}
