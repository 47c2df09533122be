using System.Collections.Generic;
using System.Threading;
using DriverBuffers.Analyzers.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ExecutionLevel;

/// <summary>
/// Which values of one function are paged pool: a local every assignment of which is a paged allocation, a member
/// of <see cref="PagedFieldIndex"/> or another such local (<c>NULL</c> aside), and the members of the index. Computed
/// on first use, in one pass over the function's operations (two rounds for locals copied from locals).
/// </summary>
internal sealed class PagedValues
{
    private readonly IEnumerable<IOperation> _roots;
    private readonly DdiCatalog _catalog;
    private readonly PagedFieldIndex _fields;
    private readonly CancellationToken _cancellationToken;
    private Dictionary<ILocalSymbol, int>? _locals;

    public PagedValues(IEnumerable<IOperation> roots, DdiCatalog catalog, PagedFieldIndex fields, CancellationToken cancellationToken)
    {
        _roots = roots;
        _catalog = catalog;
        _fields = fields;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// When <paramref name="value"/> is paged pool, the line it was allocated at (its own allocation's, or the
    /// member's); otherwise 0.
    /// </summary>
    public int AllocationLineOf(IOperation? value)
    {
        value = Unwrap(value);
        switch (value)
        {
            case IFieldReferenceOperation or IPropertyReferenceOperation:
                return PagedFieldIndex.MemberOf(value) is { } member ? _fields.PagedAllocationLine(member, _cancellationToken) : 0;
            case ILocalReferenceOperation local:
                return Locals().TryGetValue(local.Local, out var line) ? line : 0;
            case IInvocationOperation invocation when PagedPool.PagedConstantOf(_catalog, invocation) is not null:
                return DispatchContext.LineOf(invocation.Syntax.GetLocation());
            default:
                return 0;
        }
    }

    /// <summary>The value under conversions, parentheses and pointer arithmetic (<c>p + 4</c> is in <c>p</c>'s block).</summary>
    private static IOperation? Unwrap(IOperation? value)
    {
        while (true)
        {
            switch (value)
            {
                case IConversionOperation conversion:
                    value = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    value = parenthesized.Operand;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } arithmetic:
                    value = arithmetic.LeftOperand;
                    break;
                default:
                    return value;
            }
        }
    }

    private Dictionary<ILocalSymbol, int> Locals()
    {
        if (_locals is { } known)
        {
            return known;
        }

        // Each local's assigned values; a local assigned anything that is not paged pool (or NULL) is out.
        var assigned = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        var excluded = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var paged = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
        foreach (var root in _roots)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        Add(target.Local, assignment.Value);
                        break;
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                        Add(declarator.Symbol, initializer.Value);
                        break;
                    case IArgumentOperation { Value: ILocalReferenceOperation byReference, Parameter: { RefKind: not RefKind.None } parameter } argument:
                        if (parameter is { RefKind: RefKind.Out, Name: "Buffer" } && argument.Parent is IInvocationOperation creation &&
                            PagedPool.PagedConstantOf(_catalog, creation) is not null)
                        {
                            Add(byReference.Local, creation);
                        }
                        else
                        {
                            excluded.Add(byReference.Local);
                        }

                        break;
                }
            }
        }

        for (var round = 0; round < 2; round++)
        {
            foreach (var pair in assigned)
            {
                if (excluded.Contains(pair.Key) || paged.ContainsKey(pair.Key))
                {
                    continue;
                }

                var line = 0;
                var all = true;
                foreach (var value in pair.Value)
                {
                    var unwrapped = Unwrap(value);
                    if (PoolCallsNull(unwrapped))
                    {
                        continue;
                    }

                    var valueLine = unwrapped is ILocalReferenceOperation other
                        ? (paged.TryGetValue(other.Local, out var otherLine) ? otherLine : 0)
                        : AllocationLineOfNonLocal(unwrapped);
                    if (valueLine == 0)
                    {
                        all = false;
                        break;
                    }

                    line = line == 0 ? valueLine : line;
                }

                if (all && line != 0)
                {
                    paged[pair.Key] = line;
                }
            }
        }

        _locals = paged;
        return paged;

        void Add(ILocalSymbol local, IOperation value)
        {
            if (!assigned.TryGetValue(local, out var values))
            {
                assigned[local] = values = new List<IOperation>();
            }

            values.Add(value);
        }
    }

    private int AllocationLineOfNonLocal(IOperation? value) => value is ILocalReferenceOperation ? 0 : AllocationLineOf(value);

    private bool PoolCallsNull(IOperation? value) => value switch
    {
        ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } => true,
        IDefaultValueOperation => true,
        IFieldReferenceOperation field => _catalog.Api.IsConstant(field.Field, "NULL"),
        _ => false,
    };
}
