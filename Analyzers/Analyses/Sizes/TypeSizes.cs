using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// The size in bytes of unmanaged types, as the runtime lays them out on a 64-bit machine (sequential layout,
/// natural alignment): what <c>Read&lt;T&gt;</c>, <c>Write&lt;T&gt;</c> and <c>Unsafe.SizeOf&lt;T&gt;()</c> move.
/// </summary>
internal static class TypeSizes
{
    private const int MaxDepth = 8;

    public static bool TryGetSize(ITypeSymbol? type, out ulong size)
    {
        size = 0;
        if (!TryLayout(type, 0, out var s, out _))
        {
            return false;
        }

        size = s;
        return true;
    }

    private static bool TryLayout(ITypeSymbol? type, int depth, out ulong size, out ulong alignment)
    {
        size = alignment = 0;
        if (type is null || depth > MaxDepth)
        {
            return false;
        }

        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType: { } underlying })
        {
            return TryLayout(underlying, depth + 1, out size, out alignment);
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
                size = alignment = 1;
                return true;
            case SpecialType.System_Char:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
                size = alignment = 2;
                return true;
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Single:
                size = alignment = 4;
                return true;
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                size = alignment = 8;
                return true;
            case SpecialType.System_Decimal:
                size = 16;
                alignment = 8;
                return true;
        }

        if (type.TypeKind == TypeKind.Pointer)
        {
            size = alignment = 8;
            return true;
        }

        if (type.TypeKind != TypeKind.Struct || !type.IsUnmanagedType || type is not INamedTypeSymbol named ||
            named.GetAttributes().Any(a => a.AttributeClass?.Name == "StructLayoutAttribute" && !IsPlainSequential(a)))
        {
            return false;
        }

        ulong offset = 0;
        alignment = 1;
        foreach (var field in named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            if (field.IsFixedSizeBuffer || !TryLayout(field.Type, depth + 1, out var fieldSize, out var fieldAlignment))
            {
                return false;
            }

            offset = Align(offset, fieldAlignment) + fieldSize;
            alignment = Math.Max(alignment, fieldAlignment);
        }

        size = Math.Max(1, Align(offset, alignment));
        return true;
    }

    /// <summary><c>[StructLayout(LayoutKind.Sequential)]</c> with no <c>Pack</c> or <c>Size</c>: the default layout, said aloud.</summary>
    private static bool IsPlainSequential(AttributeData attribute) =>
        attribute.NamedArguments.IsEmpty && attribute.ConstructorArguments.Length == 1 &&
        attribute.ConstructorArguments[0].Value is int kind && kind == 0;

    private static ulong Align(ulong value, ulong alignment) => alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}
