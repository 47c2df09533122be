using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ParameterEffects;

/// <summary>Reading <c>DEVICE_OBJECT.Flags</c> assignments: which buffering constants they name (DRV044).</summary>
internal static class BufferingFlags
{
    public const string DO_BUFFERED_IO = nameof(DO_BUFFERED_IO);
    public const string DO_DIRECT_IO = nameof(DO_DIRECT_IO);
    private const string Flags = nameof(Flags);

    /// <summary>True when <paramref name="target"/> is <c>X.Flags</c> of a <c>DEVICE_OBJECT</c>; <paramref name="device"/> is X.</summary>
    public static bool IsFlags(IOperation target, IoModeSymbols symbols, out IOperation? device)
    {
        device = null;
        if (target is IPropertyReferenceOperation property &&
            IoModeSymbols.IsProperty(property.Property, symbols.DeviceObject, Flags))
        {
            device = property.Instance;
            return true;
        }

        return false;
    }

    /// <summary>"DO_BUFFERED_IO", "DO_DIRECT_IO", both joined with '/', or empty: the buffering constants named in <paramref name="value"/>.</summary>
    public static string Named(IOperation value, DriverApi api)
    {
        var buffered = NamesConstant(value, api, DO_BUFFERED_IO);
        var direct = NamesConstant(value, api, DO_DIRECT_IO);
        return buffered && direct ? DO_BUFFERED_IO + "/" + DO_DIRECT_IO
            : buffered ? DO_BUFFERED_IO
            : direct ? DO_DIRECT_IO
            : string.Empty;
    }

    /// <summary>True when <paramref name="value"/> names the API constant <paramref name="name"/>.</summary>
    public static bool NamesConstant(IOperation value, DriverApi api, string name)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IFieldReferenceOperation field && api.IsConstant(field.Field, name))
            {
                return true;
            }
        }

        return false;
    }
}
