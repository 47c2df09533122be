using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace DriverBuffers.Analyzers.Analyses.Requests;

/// <summary>
/// A completion routine of a driver-created request: its <c>Request</c> parameter IS that request, and inside the routine
/// the variable or field it was registered through names the same request.
/// </summary>
internal sealed class CompletionRoutine
{
    private CompletionRoutine(IParameterSymbol request, IParameterSymbol? context, ISymbol? alias, string? routineName, bool holdsReference)
    {
        Request = request;
        Context = context;
        Alias = alias;
        RoutineName = routineName;
        HoldsReference = holdsReference;
    }

    /// <summary>The routine's request parameter: the driver-created request.</summary>
    public IParameterSymbol Request { get; }

    /// <summary>The routine's context parameter, if it has one.</summary>
    public IParameterSymbol? Context { get; }

    /// <summary>The local, captured variable or field the routine was registered through.</summary>
    public ISymbol? Alias { get; }

    /// <summary>The routine's name when it can name itself (a method or local function); null for a lambda.</summary>
    public string? RoutineName { get; }

    /// <summary>False when the request is known to be formatted only with memory the driver owns.</summary>
    public bool HoldsReference { get; }

    public TrackedLocation Key => TrackedLocation.ForSymbol(Request);

    /// <summary>The routine context of <paramref name="method"/>; null when its first parameter is not a request.</summary>
    public static CompletionRoutine? For(RequestAnalysisContext context, IMethodSymbol method, ISymbol? alias, string? routineName, bool holdsReference)
    {
        var parameters = method.Parameters;
        if (parameters.Length < 1 || !context.IsRequestType(parameters[0].Type))
        {
            return null;
        }

        return new CompletionRoutine(parameters[0], parameters.Length > 3 ? parameters[3] : null, alias, routineName, holdsReference);
    }

    /// <summary>The routine context of a method registered (in the compilation) as the completion routine of driver-created requests only.</summary>
    public static CompletionRoutine? Registered(RequestAnalysisContext context, IMethodSymbol method, System.Threading.CancellationToken cancellationToken) =>
        method.Parameters.Length > 0 && context.IsRequestType(method.Parameters[0].Type) &&
        context.Index.RoutineOf(method, cancellationToken) is { } registered
            ? For(context, method, registered.Alias, method.MethodKind == MethodKind.Ordinary ? method.Name : null, registered.HoldsForeignMemory)
            : null;

    /// <summary>True when <paramref name="location"/> names the routine's request through the alias it was registered with.</summary>
    public bool IsAlias(TrackedLocation location) =>
        Alias is not null && location.Symbol is { } symbol &&
        SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, Alias.OriginalDefinition);
}
