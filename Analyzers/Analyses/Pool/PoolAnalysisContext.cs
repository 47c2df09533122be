using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Pool;

/// <summary>What the pool-block analysis shares per compilation: the catalog, the followed types, the helper summaries.</summary>
internal sealed class PoolAnalysisContext
{
    private readonly IAssemblySymbol _apiAssembly;

    public PoolAnalysisContext(AnalysisSession session)
    {
        Session = session;
        Catalog = session.Catalog;
        _apiAssembly = session.Api.Wdm.ContainingAssembly;
        Summaries = new PoolSummaries(this);
        FieldTags = new FieldPoolTags(this);
    }

    public AnalysisSession Session { get; }

    public DdiCatalog Catalog { get; }

    public PoolSummaries Summaries { get; }

    /// <summary>What a field or property holds across the driver's methods: the tagged allocations stored into it.</summary>
    public FieldPoolTags FieldTags { get; }

    /// <summary>A type whose values the analysis follows: <c>PVOID</c>, <c>PMDL</c>, <c>WDFMEMORY</c>.</summary>
    public bool IsBlockType(ITypeSymbol? type)
    {
        var api = Catalog.Api;
        return type is not null &&
            (SymbolEqualityComparer.Default.Equals(type, api.Pvoid) || SymbolEqualityComparer.Default.Equals(type, api.Pmdl) ||
             SymbolEqualityComparer.Default.Equals(type, api.WdfMemory));
    }

    /// <summary>A member of the API's own types (the accessors of <c>PVOID</c>, ...), not a DDI.</summary>
    public bool IsApiMember(IMethodSymbol method) => SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _apiAssembly);

    /// <summary>A call that may run the driver's own code: a method of this compilation, or a delegate.</summary>
    public bool IsDriverCode(IMethodSymbol method, IInvocationOperation invocation) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, Session.Compilation.Assembly) ||
        method.MethodKind == MethodKind.DelegateInvoke || MethodBodies.IsOverridable(method);

    /// <summary>A method worth a summary: of this compilation, with a block it is given by value.</summary>
    public bool IsHelperCandidate(IMethodSymbol method)
    {
        // The parameters first: most calls (the base library's) take no block, and their assembly costs more to ask.
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.None && IsBlockType(parameter.Type))
            {
                return SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, Session.Compilation.Assembly);
            }
        }

        return false;
    }
}
