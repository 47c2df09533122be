using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.Sizes;

/// <summary>The ordinals of a completion helper's request, status and information parameters.</summary>
internal sealed class CompletionHelper
{
    public static readonly CompletionHelper Ddi = new(0, 1, 2);

    public CompletionHelper(int request, int status, int information)
    {
        Request = request;
        Status = status;
        Information = information;
    }

    public int Request { get; }

    public int Status { get; }

    public int Information { get; }
}

/// <summary>
/// Completion helpers for DRV023: a source method whose whole body is <c>WdfRequestCompleteWithInformation(request,
/// status, information)</c> with its own parameters (the information possibly as <c>NT_SUCCESS(status) ? information :
/// 0</c>), as the echo-style <c>CompleteRequest</c> helpers are, or a call of such a helper with its own parameters, up
/// to <c>driverbuffers.helper_depth</c> levels. A call to one is judged as the completion it makes. Summaries live in the
/// engine's <see cref="SummaryCache{TSummary}"/> (method + depth), one per compilation.
/// </summary>
internal sealed class CompletionHelpers
{
    private readonly SizeDdis _ddis;
    private readonly Compilation _compilation;
    private readonly SummaryCache<CompletionHelper> _cache;

    public CompletionHelpers(SizeDdis ddis, AnalysisSession session)
    {
        _ddis = ddis;
        _compilation = session.Compilation;
        _cache = new SummaryCache<CompletionHelper>(session.Telemetry);
    }

    /// <summary>The parameters of <paramref name="method"/> when it is <c>WdfRequestCompleteWithInformation</c> or a completion helper; else null.</summary>
    public CompletionHelper? Get(IMethodSymbol? method, EngineOptions options, CancellationToken cancellationToken)
    {
        if (_ddis.IsCompleteWithInformation(method))
        {
            return CompletionHelper.Ddi;
        }

        return IsCandidate(method)
            ? _cache.Get(method!, options.HelperDepth, ImmutableHashSet<IMethodSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default),
                options.WorkBudget, (m, depth, visiting, token) => Summarize(m, depth, visiting, options, token), cancellationToken)
            : null;
    }

    /// <summary>A method of this compilation that may be a helper (cheap checks, nothing bound).</summary>
    private bool IsCandidate(IMethodSymbol? method) =>
        method is not null && method.MethodKind == MethodKind.Ordinary && !method.IsAbstract && !method.IsVirtual &&
        method.Parameters.Length >= 3 && method.DeclaringSyntaxReferences.Length == 1 &&
        SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly);

    private CompletionHelper? Summarize(
        IMethodSymbol method, int depth, ImmutableHashSet<IMethodSymbol> visiting, EngineOptions options, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration)
        {
            return null;
        }

        ExpressionSyntax? call = declaration.ExpressionBody?.Expression ??
            (declaration.Body is { Statements: { Count: 1 } statements } && statements[0] is ExpressionStatementSyntax statement
                ? statement.Expression
                : null);
        if (call is not InvocationExpressionSyntax)
        {
            return null;
        }

#pragma warning disable RS1030 // A helper's summary needs its body: one statement, cached per compilation.
        var model = _compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        var inner = _ddis.IsCompleteWithInformation(invocation.TargetMethod)
            ? CompletionHelper.Ddi
            : IsCandidate(invocation.TargetMethod)
                ? _cache.Get(invocation.TargetMethod, depth - 1, visiting, options.WorkBudget,
                    (m, d, v, token) => Summarize(m, d, v, options, token), cancellationToken)
                : null;
        if (inner is null ||
            ParameterOf(SizeDdis.Argument(invocation, inner.Request)) is not { } request ||
            ParameterOf(SizeDdis.Argument(invocation, inner.Status)) is not { } status ||
            InformationParameter(SizeDdis.Argument(invocation, inner.Information)) is not { } information)
        {
            return null;
        }

        return new CompletionHelper(request.Ordinal, status.Ordinal, information.Ordinal);
    }

    private static IParameterSymbol? ParameterOf(IOperation? operation) =>
        OperationUnwrap.Unwrap(operation) is IParameterReferenceOperation reference ? reference.Parameter : null;

    /// <summary><c>information</c>, or <c>condition ? information : 0</c> (either arm).</summary>
    private static IParameterSymbol? InformationParameter(IOperation? operation)
    {
        operation = OperationUnwrap.Unwrap(operation);
        if (operation is IConditionalOperation { WhenFalse: { } whenFalse } conditional)
        {
            var arms = new[] { conditional.WhenTrue, whenFalse };
            var zero = arms.FirstOrDefault(a => OperationUnwrap.Unwrap(a)?.ConstantValue is { HasValue: true, Value: 0 or 0u or 0ul });
            var other = arms.FirstOrDefault(a => !ReferenceEquals(a, zero));
            return zero is null ? null : ParameterOf(other);
        }

        return ParameterOf(operation);
    }
}
