using System;
using System.Collections.Concurrent;
using System.Threading;
using DriverBuffers.Analyzers.Analyses.Fields;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>
/// A <c>PVOID</c> field or property that only ever holds the address of a fixed-size buffer kept in a field (VHidMini2's
/// <c>deviceContext.ReportDescriptor = deviceContext.DefaultReportDescriptor.Address</c>, a <c>readonly LOCAL_BUFFER</c>
/// of a known size, see <see cref="LocalBufferSizes"/>): wherever the member is read, it points to at least the smallest
/// such size. Paired when every store into the member in the compilation (<see cref="MemberStores"/>) is such an address or
/// NULL. Computed once per member and compilation.
/// </summary>
internal sealed class LocalBufferPointers
{
    private readonly AnalysisSession _session;
    private readonly SizeDdis _ddis;
    private readonly ConcurrentDictionary<ISymbol, Tuple<ulong, IFieldSymbol>?> _sizes = new(SymbolEqualityComparer.Default);

    public LocalBufferPointers(AnalysisSession session, SizeDdis ddis)
    {
        _session = session;
        _ddis = ddis;
    }

    /// <summary>The smallest fixed-size buffer <paramref name="pointer"/> ever points to (its size and field), or null.</summary>
    public (ulong Size, IFieldSymbol Buffer)? SizeOf(ISymbol pointer, CancellationToken cancellationToken)
    {
        if (!SymbolEqualityComparer.Default.Equals(TrackedLocation.TypeOfMember(pointer), _ddis.Api.Pvoid) ||
            !SymbolEqualityComparer.Default.Equals(pointer.ContainingAssembly, _session.Compilation.Assembly))
        {
            return null;
        }

        var size = _sizes.GetOrAdd(pointer.OriginalDefinition, p => Compute(p, cancellationToken));
        return size is null ? null : (size.Item1, size.Item2);
    }

    private Tuple<ulong, IFieldSymbol>? Compute(ISymbol pointer, CancellationToken cancellationToken)
    {
        Tuple<ulong, IFieldSymbol>? smallest = null;
        foreach (var store in MemberStores.Of(_session, pointer, cancellationToken))
        {
            if (store.Value is null)
            {
                return null;
            }

            switch (OperationUnwrap.Unwrap(store.Model.GetOperation(store.Value, cancellationToken)))
            {
                case IFieldReferenceOperation field when _ddis.Api.IsConstant(field.Field, "NULL"):
                case IDefaultValueOperation:
                    continue;
                case IPropertyReferenceOperation { Property.Name: "Address", Instance: IFieldReferenceOperation { Field: var buffer } } when
                    _ddis.LocalBuffers.SizeOf(buffer, cancellationToken) is { } size:
                    if (smallest is null || size < smallest.Item1)
                    {
                        smallest = Tuple.Create(size, buffer);
                    }

                    continue;
                default:
                    return null;
            }
        }

        return smallest;
    }
}
