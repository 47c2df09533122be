#pragma warning disable RS1030 // recognizing a context accessor needs its body: one expression, cached per method
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Catalog;

/// <summary>
/// The one DDI catalog: every DDI of <see cref="DdiNames"/> resolved to its symbol in one compilation (once, on the
/// first question by symbol: a compilation whose code names no DDI loads none of the API's members), with its
/// <see cref="DdiRole"/>s. Rules and analyses ask by symbol
/// (<see cref="Has"/>); names serve only the syntactic pre-filters (<see cref="MayTouchRequests"/>).
/// </summary>
internal sealed class DdiCatalog
{
    private readonly ConcurrentDictionary<IMethodSymbol, ITypeSymbol?> _contextAccessors = new(SymbolEqualityComparer.Default);
    private readonly Lazy<Tables> _tables;
    private readonly Lazy<HashSet<string>> _apiMemberNames;

    /// <param name="api">The API's symbols.</param>
    /// <param name="built">Called once, when the catalog's symbol tables are built (the session's telemetry counts it).</param>
    public DdiCatalog(DriverApi api, Action? built = null)
    {
        Api = api;
        _tables = new Lazy<Tables>(() =>
        {
            built?.Invoke();
            return new Tables(api);
        });
        _apiMemberNames = new Lazy<HashSet<string>>(() =>
        {
            var names = new HashSet<string>(api.Wdf.MemberNames, StringComparer.Ordinal);
            names.UnionWith(api.Wdm.MemberNames);
            return names;
        });
    }

    /// <summary>
    /// True once a question needed the DDIs' symbols (the API types' members and their parameters): a compilation whose
    /// code names no DDI never asks one, and never loads them.
    /// </summary>
    public bool IsBuilt => _tables.IsValueCreated;

    public DriverApi Api { get; }

    /// <summary>The roles of <paramref name="method"/>: none unless it is a DDI of the catalog.</summary>
    public DdiRole RolesOf(IMethodSymbol? method) =>
        method is not null && _tables.Value.Roles.TryGetValue(method.OriginalDefinition, out var roles) ? roles : DdiRole.None;

    /// <summary>True when <paramref name="method"/> is a DDI with any of <paramref name="roles"/>.</summary>
    public bool Has(IMethodSymbol? method, DdiRole roles) => (RolesOf(method) & roles) != 0;

    /// <summary>True for any method of <c>DriverBuffers.Wdf</c> or <c>DriverBuffers.Wdm</c>.</summary>
    public bool IsDdi(IMethodSymbol? method) => Api.IsDdi(method);

    /// <summary>True for a method of <c>DriverBuffers.Wdf</c>.</summary>
    public bool IsWdf(IMethodSymbol? method) =>
        method is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, Api.Wdf);

    /// <summary>
    /// The cheap syntactic test of the request rules: <paramref name="identifier"/> is the name of a DDI that takes or
    /// gives a <c>WDFREQUEST</c>, or completes, passes down or keeps an <c>IRP</c>. The call is confirmed by symbol later.
    /// </summary>
    public bool MayTouchRequests(string identifier) =>
        _apiMemberNames.Value.Contains(identifier) && _tables.Value.RequestDdiNames.Contains(identifier);

    /// <summary>True when <paramref name="method"/> is a DDI that takes or gives a <c>WDFREQUEST</c>, or changes an <c>IRP</c>'s lifetime (by symbol).</summary>
    public bool TouchesRequests(IMethodSymbol? method) => method is not null && _tables.Value.RequestDdis.Contains(method.OriginalDefinition);

    private Func<IInvocationOperation, ITypeSymbol?>? _contextTypes;

    /// <summary><see cref="ContextTypeOf"/> as one delegate (a method group made a new one at every location asked for).</summary>
    public Func<IInvocationOperation, ITypeSymbol?> ContextTypes => _contextTypes ??= ContextTypeOf;

    /// <summary>
    /// The context type <paramref name="invocation"/> returns when it is a context accessor:
    /// <c>WdfObjectGetTypedContext&lt;T&gt;(o)</c>, or a method of this compilation whose body is just that call (the C#
    /// form of <c>WDF_DECLARE_CONTEXT_TYPE_WITH_NAME</c>: <c>static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) =&gt; …</c>).
    /// </summary>
    public ITypeSymbol? ContextTypeOf(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (Has(method, DdiRole.AccessesContext))
        {
            return method.TypeArguments.Length == 1 ? method.TypeArguments[0] : method.ReturnType;
        }

        if (method.MethodKind != MethodKind.Ordinary || method.Parameters.Length != 1 || method.ReturnType.TypeKind != TypeKind.Class ||
            method.DeclaringSyntaxReferences.Length != 1 || IsDdi(method))
        {
            return null;
        }

        return _contextAccessors.GetOrAdd(method.OriginalDefinition, m => AccessedContext(m, CancellationToken.None));
    }

    private ITypeSymbol? AccessedContext(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration)
        {
            return null;
        }

        var expression = declaration.ExpressionBody?.Expression ??
            (declaration.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } returned }
                ? returned
                : null);
        if (expression is not InvocationExpressionSyntax call || !Api.Compilation.ContainsSyntaxTree(call.SyntaxTree))
        {
            return null;
        }

        var model = Api.Compilation.GetSemanticModel(call.SyntaxTree);
        return model.GetOperation(call, cancellationToken) is IInvocationOperation inner && Has(inner.TargetMethod, DdiRole.AccessesContext)
            ? method.ReturnType
            : null;
    }

    /// <summary>
    /// The DDIs resolved to their symbols: each method of <c>Wdf</c> and <c>Wdm</c> with its roles, and the ones that
    /// take or give a request. Built on the first question that needs a symbol (not at the session's start).
    /// </summary>
    private sealed class Tables
    {
        public Tables(DriverApi api)
        {
            foreach (var type in new[] { api.Wdf, api.Wdm })
            {
                foreach (var member in type.GetMembers())
                {
                    if (member is not IMethodSymbol method)
                    {
                        continue;
                    }

                    var roles = DdiNames.RolesOfName(method.Name);
                    if (roles != DdiRole.None)
                    {
                        Roles[method] = roles;
                    }

                    if (HandlesRequests(api, method))
                    {
                        RequestDdiNames.Add(method.Name);
                        RequestDdis.Add(method);
                    }
                }
            }
        }

        public Dictionary<IMethodSymbol, DdiRole> Roles { get; } = new(SymbolEqualityComparer.Default);

        public HashSet<string> RequestDdiNames { get; } = new(StringComparer.Ordinal);

        public HashSet<IMethodSymbol> RequestDdis { get; } = new(SymbolEqualityComparer.Default);

        private static bool HandlesRequests(DriverApi api, IMethodSymbol method)
        {
            // The WDM DDIs that complete, pass down or keep an IRP (the others that take one, such as
            // IoGetCurrentIrpStackLocation, change nothing of its lifetime).
            if ((DdiNames.RolesOfName(method.Name) & DdiRole.IrpLifetime) != 0)
            {
                return true;
            }

            foreach (var parameter in method.Parameters)
            {
                if (SymbolEqualityComparer.Default.Equals(parameter.Type, api.WdfRequest))
                {
                    return true;
                }
            }

            return SymbolEqualityComparer.Default.Equals(method.ReturnType, api.WdfRequest);
        }
    }
}
