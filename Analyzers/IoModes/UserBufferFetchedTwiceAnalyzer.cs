using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Analyses.UserAddresses;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// DRV045: a value read from a neither-I/O user buffer (<c>PVOID.Read&lt;T&gt;</c> at a constant offset of
/// <c>Irp.UserBuffer</c>, <c>Type3InputBuffer</c>, <c>WdfRequestRetrieveUnsafeUser*Buffer</c>, ...), tested by a branch
/// (directly or through the local it was read into) on every path, then read again from user memory: the application can
/// change it in between, so the value used is not the value checked (a double fetch). Reported at the second read, once
/// per value; the first read is the additional location. An observer of the shared <see cref="UserAddressAnalysis"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UserBufferFetchedTwiceAnalyzer : DriverApiAnalyzer
{
    /// <summary>Diagnostic property: a local that holds the value of the first read here (of the read's type), for the code fix.</summary>
    public const string LocalProperty = "Local";

    /// <summary>Diagnostic property: where that local is declared, so the fix names that very variable.</summary>
    public const string LocalDeclarationProperty = "LocalDeclaration";

    public UserBufferFetchedTwiceAnalyzer()
        : base(Descriptors.UserBufferFetchedTwice)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var analysis = UserAddressAnalysis.For(session);
        if (!analysis.Applies)
        {
            return;
        }

        analysis.RegisterObserver(context, (block, result) =>
        {
            var reported = new HashSet<TrackedLocation>();
            foreach (var function in result.Functions)
            {
                var domain = function.Domain;
                function.Replay(
                    (operation, state, _) =>
                    {
                        if (operation is IInvocationOperation read && domain.FetchOf(read, state) is { } fetch &&
                            MustFactDomain<UserAddressFact>.FactAt(state, fetch.Key) is Fetched { Checked: true } first &&
                            !ReferenceEquals(first.Read, read) && reported.Add(fetch.Key))
                        {
                            block.ReportDiagnostic(Diagnostic.Create(
                                Descriptors.UserBufferFetchedTwice,
                                read.Syntax.GetLocation(),
                                new[] { first.Read.Syntax.GetLocation() },
                                LocalHolding(state, fetch.Key, read.Type),
                                read.Syntax.ToString(),
                                fetch.Pointer.SourceName,
                                SourceLines.LineOf(first.Read.Syntax)));
                        }
                    },
                    block.CancellationToken);
            }
        });
    }

    /// <summary>The properties naming a local that holds the checked value here (same type as the read), or none.</summary>
    private static ImmutableDictionary<string, string?> LocalHolding(FactMap<UserAddressFact> state, TrackedLocation fetch, ITypeSymbol? type)
    {
        foreach (var pair in state)
        {
            if (pair.Value is FetchedValue value && value.Fetch.Equals(fetch) && pair.Key.IsVariable &&
                pair.Key.Symbol is ILocalSymbol local && SymbolEqualityComparer.Default.Equals(local.Type, type) &&
                local.DeclaringSyntaxReferences.Length == 1)
            {
                return ImmutableDictionary<string, string?>.Empty
                    .Add(LocalProperty, local.Name)
                    .Add(LocalDeclarationProperty, local.DeclaringSyntaxReferences[0].Span.Start.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return ImmutableDictionary<string, string?>.Empty;
    }
}
