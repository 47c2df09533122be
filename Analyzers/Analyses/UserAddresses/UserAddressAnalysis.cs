using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.UserAddresses;

/// <summary>
/// The shared user-address analysis: for every point of a body, which variables hold a neither-I/O user address
/// (<c>Irp.UserBuffer</c>, the stack location's <c>Type3InputBuffer</c>, <c>WdfRequestRetrieveUnsafeUser*Buffer</c>,
/// <c>MmGetMdlVirtualAddress(Irp.MdlAddress)</c>, copies and offsets of them) and whether each address was probed or
/// locked on every path. Computed at most once per body (with its lambdas and local functions, each on its own) and read
/// by every rule that asks (DRV042, DRV045). One per analysis session; thread-safe.
/// </summary>
internal sealed class UserAddressAnalysis
{
    /// <summary>The pre-filter of bodies: the body names a user address' source (<see cref="MayMention"/>).</summary>
    private static readonly NameScreen Screen = new(MayMention);

    /// <summary>A helper's declaration names a DDI that probes.</summary>
    private static readonly NameScreen ProbeScreen = new(name => (DdiNames.RolesOfName(name) & DdiRole.ProbesUserAddress) != 0);

    private readonly SharedBodyResults<SolvedBody<UserAddressDomain, UserAddressFact>> _results;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _mayProbe = new(SymbolEqualityComparer.Default);

    private UserAddressAnalysis(AnalysisSession session)
    {
        Session = session;
        Catalog = session.Catalog;
        Symbols = IoModeSymbols.For(session);
        _results = new SharedBodyResults<SolvedBody<UserAddressDomain, UserAddressFact>>(session.Telemetry);
    }

    public AnalysisSession Session { get; }

    public DdiCatalog Catalog { get; }

    public IoModeSymbols Symbols { get; }

    /// <summary>True when the compilation has the types user addresses come from.</summary>
    public bool Applies => Symbols.Irp is not null && Catalog.Api.Pvoid is not null;

    public static UserAddressAnalysis For(AnalysisSession session) => session.Feature(s => new UserAddressAnalysis(s));

    /// <summary>
    /// Registers a rule that reads this analysis (it visits every body once): <paramref name="report"/> gets
    /// each body's solved functions, computed once for every rule that asks.
    /// </summary>
    public void RegisterObserver(CompilationStartAnalysisContext context, System.Action<OperationAnalysisContext, SolvedBody<UserAddressDomain, UserAddressFact>> report)
    {
        SolvedBodies.RegisterMethodBodies(context, (body, method) =>
        {
            if (Analyze(body, method, Screen.Passes(body.Operation.Syntax, Session.Telemetry, body.CancellationToken)) is { } result)
            {
                report(body, result);
            }
        });
    }

    /// <summary>The cheap syntactic pre-filter: the body names a user address' source (confirmed by symbol later).</summary>
    public static bool MayMention(string identifier) =>
        identifier is UserAddressDomain.UserBuffer or UserAddressDomain.Type3InputBuffer ||
        (DdiNames.RolesOfName(identifier) & DdiRole.RetrievesUserAddress) != 0;

    /// <summary>
    /// One consumer's visit of <paramref name="body"/>: the analysis when <paramref name="wanted"/> and the body really
    /// reads a user address (by symbol, on the operations already bound); null otherwise, for code without a graph, or
    /// over the work budget.
    /// </summary>
    public SolvedBody<UserAddressDomain, UserAddressFact>? Analyze(OperationAnalysisContext context, IMethodSymbol owner, bool wanted) =>
        _results.Visit(context.Operation, wanted, (Analysis: this, context, owner), static s => s.Analysis.Compute(s.context, s.owner));

    private SolvedBody<UserAddressDomain, UserAddressFact>? Compute(OperationAnalysisContext context, IMethodSymbol owner) =>
        ReadsUserAddress(context.Operation, context.CancellationToken)
            ? SolvedBodies.Solve<UserAddressDomain, UserAddressFact>(
                context, Session, owner, (graph, function, _) => new UserAddressDomain(graph, this, function))
            : null;

    /// <summary>True when the body (with its lambdas) reads a user address' source, by symbol.</summary>
    private bool ReadsUserAddress(IOperation body, CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case IPropertyReferenceOperation property
                    when IoModeSymbols.IsProperty(property.Property, Symbols.Irp, UserAddressDomain.UserBuffer) ||
                         property.Property.Name == UserAddressDomain.Type3InputBuffer:
                    return true;
                case IInvocationOperation invocation when Catalog.Has(invocation.TargetMethod, DdiRole.RetrievesUserAddress):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a method that is not a DDI may probe what it is given: its source (if in this compilation) names a DDI
    /// that probes, or it has no source to look at (except the API's, the framework's and the base library's). A cheap
    /// syntactic summary, cached per compilation, used only to stay silent.
    /// </summary>
    public bool MayProbe(IMethodSymbol method) =>
        _mayProbe.GetOrAdd(method.OriginalDefinition, m =>
            !SymbolEqualityComparer.Default.Equals(m.ContainingAssembly, Catalog.Api.Wdf.ContainingAssembly) && NamesProbe(m));

    private bool NamesProbe(IMethodSymbol method)
    {
        var declarations = method.DeclaringSyntaxReferences;
        if (declarations.IsEmpty)
        {
            var assembly = method.ContainingAssembly?.Name ?? string.Empty;
            return !assembly.StartsWith("System", System.StringComparison.Ordinal) && assembly != "mscorlib" && assembly != "netstandard";
        }

        foreach (var reference in declarations)
        {
            if (ProbeScreen.Passes(reference.GetSyntax(), Session.Telemetry, CancellationToken.None))
            {
                return true;
            }
        }

        return false;
    }
}
