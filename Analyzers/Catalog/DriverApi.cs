using System;
using System.IO;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Catalog;

/// <summary>
/// The driver-buffer API's symbols in one compilation, resolved once at compilation start.
/// DDIs are matched by symbol: the containing type (<c>DriverBuffers.Wdf</c> or <c>DriverBuffers.Wdm</c>)
/// and the name, never by name alone. A compilation that does not reference the API has no
/// <see cref="DriverApi"/>, and the analyzers register nothing for it.
/// </summary>
internal sealed class DriverApi
{
    private static readonly ConditionalWeakTable<Compilation, DriverApi?> Cache = new();
    private static readonly ConditionalWeakTable<Compilation, DriverApi?>.CreateValueCallback Factory = Create;

    private DriverApi(Compilation compilation, INamedTypeSymbol wdf, INamedTypeSymbol wdm)
    {
        Compilation = compilation;
        Wdf = wdf;
        Wdm = wdm;
        NtStatus = TypeOf("DriverBuffers.NTSTATUS");
        Pvoid = TypeOf("DriverBuffers.PVOID");
        Pmdl = TypeOf("DriverBuffers.PMDL");
        WdfObject = TypeOf("DriverBuffers.WDFOBJECT");
        WdfRequest = TypeOf("DriverBuffers.WDFREQUEST");
        WdfMemory = TypeOf("DriverBuffers.WDFMEMORY");
        WdfQueue = TypeOf("DriverBuffers.WDFQUEUE");
        WdfIoTarget = TypeOf("DriverBuffers.WDFIOTARGET");
        PoolType = TypeOf("DriverBuffers.POOL_TYPE");
        Irp = TypeOf("DriverBuffers.IRP");
    }

    public Compilation Compilation { get; }

    /// <summary><c>DriverBuffers.Wdf</c>: every <c>Wdf*</c> DDI and <c>WDF_*</c> helper.</summary>
    public INamedTypeSymbol Wdf { get; }

    /// <summary><c>DriverBuffers.Wdm</c>: <c>Ex*</c>, <c>Mm*</c>, <c>Io*</c>, <c>Rtl*</c>, <c>ProbeFor*</c>, <c>NT_SUCCESS</c>.</summary>
    public INamedTypeSymbol Wdm { get; }

    public INamedTypeSymbol? NtStatus { get; }
    public INamedTypeSymbol? Pvoid { get; }
    public INamedTypeSymbol? Pmdl { get; }
    public INamedTypeSymbol? WdfObject { get; }
    public INamedTypeSymbol? WdfRequest { get; }
    public INamedTypeSymbol? WdfMemory { get; }
    public INamedTypeSymbol? WdfQueue { get; }
    public INamedTypeSymbol? WdfIoTarget { get; }
    public INamedTypeSymbol? PoolType { get; }

    /// <summary>The WDM <c>IRP</c>.</summary>
    public INamedTypeSymbol? Irp { get; }

    /// <summary>
    /// A type of the API by metadata name, looked up in the API's own assembly (where <c>Wdf</c> is): one assembly searched
    /// rather than every reference of the compilation, which is most of what resolving the API cost at compilation start.
    /// </summary>
    public INamedTypeSymbol? TypeOf(string metadataName) => Wdf.ContainingAssembly.GetTypeByMetadataName(metadataName);

    /// <summary>The API of <paramref name="compilation"/>, or null when it does not reference <c>DriverBuffers.Wdf</c>.</summary>
    public static DriverApi? TryGet(Compilation compilation) => Cache.GetValue(compilation, Factory);

    private static DriverApi? Create(Compilation compilation)
    {
        var wdf = WdfInApiReference(compilation, out var api) ?? compilation.GetTypeByMetadataName(WdfName);
        var wdm = api is null ? compilation.GetTypeByMetadataName(WdmName) : api.GetTypeByMetadataName(WdmName);
        return wdf is null || wdm is null ? null : new DriverApi(compilation, wdf, wdm);
    }

    private const string WdfName = "DriverBuffers.Wdf";
    private const string WdmName = "DriverBuffers.Wdm";

    /// <summary>
    /// <c>Wdf</c> in the referenced assembly that defines the API (<paramref name="api"/>), found by its file name
    /// (<c>DriverBuffers.dll</c>) among the references: the API's types are then looked up in it alone. <c>Compilation.GetTypeByMetadataName</c> searches every
    /// referenced assembly (to report a type defined twice), loading the global namespace of each: most of what resolving
    /// the API cost a compilation, work the compiler itself does not need. Null when no reference is so named (the API in
    /// source, a renamed file): then the whole compilation is searched, as before.
    /// </summary>
    private static INamedTypeSymbol? WdfInApiReference(Compilation compilation, out IAssemblySymbol? api)
    {
        foreach (var reference in compilation.References)
        {
            if (reference is PortableExecutableReference { FilePath: { } path } &&
                string.Equals(Path.GetFileName(path), "DriverBuffers.dll", StringComparison.OrdinalIgnoreCase) &&
                compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly &&
                assembly.GetTypeByMetadataName(WdfName) is { } wdf)
            {
                api = assembly;
                return wdf;
            }
        }

        api = null;
        return null;
    }

    /// <summary>True when <paramref name="method"/> is the <c>Wdf</c> DDI called <paramref name="name"/>.</summary>
    public bool IsWdf(IMethodSymbol? method, string name) =>
        method is not null && method.Name == name && SymbolEqualityComparer.Default.Equals(method.ContainingType, Wdf);

    /// <summary>True when <paramref name="method"/> is the <c>Wdm</c> DDI called <paramref name="name"/>.</summary>
    public bool IsWdm(IMethodSymbol? method, string name) =>
        method is not null && method.Name == name && SymbolEqualityComparer.Default.Equals(method.ContainingType, Wdm);

    /// <summary>True when <paramref name="method"/> is any DDI of the API (a static method of <c>Wdf</c> or <c>Wdm</c>).</summary>
    public bool IsDdi(IMethodSymbol? method) =>
        method is not null &&
        (SymbolEqualityComparer.Default.Equals(method.ContainingType, Wdf) ||
         SymbolEqualityComparer.Default.Equals(method.ContainingType, Wdm));

    /// <summary>True when <paramref name="field"/> is the API constant called <paramref name="name"/>.</summary>
    public bool IsConstant(ISymbol? field, string name) =>
        field is IFieldSymbol f && f.Name == name &&
        (SymbolEqualityComparer.Default.Equals(f.ContainingType, Wdf) ||
         SymbolEqualityComparer.Default.Equals(f.ContainingType, Wdm));
}
