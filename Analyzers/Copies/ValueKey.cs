using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>What a <see cref="ValueKey"/> stands for.</summary>
internal enum ValueKeyKind
{
    /// <summary>A local, parameter or field (of <c>this</c> or static).</summary>
    Symbol,

    /// <summary>A value the control flow graph captured (the arms of <c>?:</c>, arguments before a branch).</summary>
    Capture,

    /// <summary>The <c>Length</c> of an array or span held by a symbol.</summary>
    Length,

    /// <summary><c>MmGetMdlByteCount(mdl)</c> of the MDL held by a symbol.</summary>
    MdlByteCount,

    /// <summary>The output buffer of the request held by a symbol.</summary>
    RequestOutput,

    /// <summary>The input buffer of the request held by a symbol.</summary>
    RequestInput,

    /// <summary>The size of a type whose size is not a compile-time constant.</summary>
    SizeOf,

    /// <summary>A side-effect-free arithmetic expression over symbols, compared by its text.</summary>
    Expression,
}

/// <summary>
/// A value the copy rules track through a method: a variable, a flow capture, or something derived from
/// variables (a length, an MDL's byte count, an arithmetic expression). A key depends on the symbols it is
/// made of; assigning one of them ends every fact about the key.
/// </summary>
internal sealed class ValueKey : IEquatable<ValueKey>
{
    private ValueKey(ValueKeyKind kind, ISymbol? symbol, CaptureId capture, string? text, ImmutableArray<ISymbol> dependencies, string display)
    {
        Kind = kind;
        Symbol = symbol;
        Capture = capture;
        Text = text;
        Dependencies = dependencies;
        Display = display;
    }

    public ValueKeyKind Kind { get; }

    /// <summary>The variable of a <see cref="ValueKeyKind.Symbol"/> key, the holder of the derived kinds.</summary>
    public ISymbol? Symbol { get; }

    public CaptureId Capture { get; }

    /// <summary>The normalized text of an expression key or the type of a <see cref="ValueKeyKind.SizeOf"/> key.</summary>
    public string? Text { get; }

    /// <summary>The symbols whose assignment ends what is known about this key.</summary>
    public ImmutableArray<ISymbol> Dependencies { get; }

    /// <summary>How the key reads in source, for messages and code fixes (not part of equality).</summary>
    public string Display { get; }

    /// <summary>True when <see cref="Display"/> is an expression a code fix can write at the copy.</summary>
    public bool IsWritable => Kind is not (ValueKeyKind.Capture or ValueKeyKind.RequestInput or ValueKeyKind.RequestOutput);

    public static ValueKey ForSymbol(ISymbol symbol) =>
        new(ValueKeyKind.Symbol, symbol, default, null, ImmutableArray.Create(symbol), symbol.Name);

    public static ValueKey ForCapture(CaptureId id) =>
        new(ValueKeyKind.Capture, null, id, null, ImmutableArray<ISymbol>.Empty, "(captured value)");

    public static ValueKey LengthOf(ISymbol symbol) =>
        new(ValueKeyKind.Length, symbol, default, null, ImmutableArray.Create(symbol), symbol.Name + ".Length");

    public static ValueKey MdlByteCountOf(ISymbol mdl) =>
        new(ValueKeyKind.MdlByteCount, mdl, default, null, ImmutableArray.Create(mdl), "MmGetMdlByteCount(" + mdl.Name + ")");

    public static ValueKey RequestBuffer(ISymbol request, bool output) =>
        new(output ? ValueKeyKind.RequestOutput : ValueKeyKind.RequestInput, request, default, null,
            ImmutableArray.Create(request), request.Name + (output ? " (output buffer)" : " (input buffer)"));

    public static ValueKey SizeOfType(ITypeSymbol type)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        return new(ValueKeyKind.SizeOf, null, default, type.ToDisplayString(), ImmutableArray<ISymbol>.Empty, "sizeof(" + name + ")");
    }

    public static ValueKey ForExpression(string display, ImmutableArray<ISymbol> dependencies) =>
        new(ValueKeyKind.Expression, null, default, Normalize(display), dependencies, display);

    /// <summary>True when assigning <paramref name="symbol"/> changes this key's value.</summary>
    public bool DependsOn(ISymbol symbol)
    {
        foreach (var dependency in Dependencies)
        {
            if (SymbolEqualityComparer.Default.Equals(dependency, symbol))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The key of a variable reference (through conversions, <c>out var</c> declarations and flow captures),
    /// or null.
    /// </summary>
    public static ValueKey? ForReference(IOperation? operation)
    {
        operation = OperationUnwrap.Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return ForSymbol(local.Local);
            case IParameterReferenceOperation parameter:
                return ForSymbol(parameter.Parameter);
            case IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation:
                return ForSymbol(field.Field);
            case IFlowCaptureReferenceOperation capture:
                return ForCapture(capture.Id);
            default:
                return null;
        }
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Where(c => !char.IsWhiteSpace(c)))
        {
            builder.Append(c);
        }

        return builder.ToString();
    }

    public bool Equals(ValueKey? other) =>
        other is not null &&
        Kind == other.Kind &&
        SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol) &&
        Capture.Equals(other.Capture) &&
        string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ValueKey);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (int)Kind * 397;
            hash ^= Symbol is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(Symbol);
            hash = (hash * 31) ^ Capture.GetHashCode();
            hash = (hash * 31) ^ (Text is null ? 0 : StringComparer.Ordinal.GetHashCode(Text));
            return hash;
        }
    }

    public override string ToString() => Display;
}
