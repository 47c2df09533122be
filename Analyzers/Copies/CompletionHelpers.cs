using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Copies;

/// <summary>
/// Completion helpers for DRV023: a source method whose whole body is
/// <c>WdfRequestCompleteWithInformation(request, status, information)</c> with its own parameters (the information
/// possibly as <c>NT_SUCCESS(status) ? information : 0</c>), as the echo-style <c>CompleteRequest</c> helpers are.
/// A call to one is judged as the completion it makes. Cached per compilation.
/// </summary>
internal sealed class CompletionHelpers
{
    /// <summary>The ordinals of a helper's request, status and information parameters.</summary>
    internal sealed class Parameters
    {
        public Parameters(int request, int status, int information)
        {
            Request = request;
            Status = status;
            Information = information;
        }

        public int Request { get; }

        public int Status { get; }

        public int Information { get; }
    }

    private readonly DriverApi _api;
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, Parameters?> _cache = new(SymbolEqualityComparer.Default);

    public CompletionHelpers(DriverApi api, Compilation compilation)
    {
        _api = api;
        _compilation = compilation;
    }

    public Parameters? Get(IMethodSymbol? method, CancellationToken cancellationToken)
    {
        if (method is null || method.MethodKind != MethodKind.Ordinary || method.IsAbstract || method.IsVirtual ||
            method.Parameters.Length < 3 || method.DeclaringSyntaxReferences.Length != 1 ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
        {
            return null;
        }

        return _cache.GetOrAdd(method.OriginalDefinition, m => Summarize(m, cancellationToken));
    }

    private Parameters? Summarize(IMethodSymbol method, CancellationToken cancellationToken)
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
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation ||
            !_api.IsWdf(invocation.TargetMethod, "WdfRequestCompleteWithInformation") ||
            ParameterOf(CopyDdis.Argument(invocation, 0)) is not { } request ||
            ParameterOf(CopyDdis.Argument(invocation, 1)) is not { } status ||
            InformationParameter(CopyDdis.Argument(invocation, 2)) is not { } information)
        {
            return null;
        }

        return new Parameters(request.Ordinal, status.Ordinal, information.Ordinal);
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
