using System;
using System.Collections.Generic;
using System.Reflection;

namespace DriverBuffers.Verifier;

/// <summary>Maps status values to the names of the <c>STATUS_*</c> fields declared in <see cref="Wdm"/>.</summary>
internal static class StatusNames
{
    private static readonly Lazy<Dictionary<int, string>> Names = new(Build);

    public static string NameOf(NTSTATUS status) =>
        Names.Value.TryGetValue(status.Value, out var name) ? name : $"0x{status.Value:X8}";

    private static Dictionary<int, string> Build()
    {
        var names = new Dictionary<int, string>();
        foreach (var field in typeof(Wdm).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.FieldType == typeof(NTSTATUS) && field.Name.StartsWith("STATUS_", StringComparison.Ordinal))
            {
                var value = (NTSTATUS)field.GetValue(null)!;
                names.TryAdd(value.Value, field.Name);
            }
        }
        return names;
    }
}
