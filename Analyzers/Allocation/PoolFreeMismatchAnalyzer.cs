using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using DriverBuffers.Analyzers.Analyses.Pool;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// DRV034: <c>ExFreePoolWithTag</c> given another tag than the one the block was allocated with, and a pool block
/// freed twice on some path. An observer of the shared pool-block analysis (<see cref="PoolBlocks"/>), which follows
/// every <c>PVOID</c> location (variables, fields, context paths), its copies and aliases, NULL assignments and checks,
/// and helpers that free what they are given (to <c>driverbuffers.helper_depth</c> levels).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolFreeMismatchAnalyzer : DriverApiAnalyzer
{
    /// <summary>Property set on a tag mismatch whose every reaching allocation used one tag: the fix writes that tag.</summary>
    public const string FixableTagProperty = "FixableTag";

    public PoolFreeMismatchAnalyzer()
        : base(Descriptors.PoolFreeMismatch)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api) =>
        PoolBlocks.RegisterRule(context, (catalog, report) => new Observer(catalog, report));

    private sealed class Observer : PoolObserver
    {
        private readonly DdiCatalog _catalog;
        private readonly System.Action<Diagnostic> _report;
        private readonly HashSet<IInvocationOperation> _reported = new();

        public Observer(DdiCatalog catalog, System.Action<Diagnostic> report)
        {
            _catalog = catalog;
            _report = report;
        }

        public override void OnFree(PoolFreeEvent free)
        {
            if (free.Kind == FreeKind.Pool && _reported.Add(free.Free) && Check(_catalog, free) is { } diagnostic)
            {
                _report(diagnostic);
            }
        }
    }

    private static Diagnostic? Check(DdiCatalog catalog, PoolFreeEvent free)
    {
        var ddi = free.Free.TargetMethod.Name;
        var location = free.Free.Syntax.GetLocation();
        var earlierFree = free.Facts
            .Where(f => f.Kind == PoolFactKind.Freed && f.Site is not null)
            .OrderBy(f => f.Site!.Syntax.SpanStart)
            .FirstOrDefault();
        if (earlierFree is not null)
        {
            var text = ReferenceEquals(earlierFree.Site, free.Free)
                ? Format("PoolFreeMismatchLoopText", free.BlockText, ddi)
                : Format("PoolFreeMismatchTwiceText", free.BlockText, ddi, earlierFree.Site!.TargetMethod.Name, Line(earlierFree.Site!));
            return Diagnostic.Create(Descriptors.PoolFreeMismatch, location, new[] { earlierFree.Site.Syntax.GetLocation() }, text);
        }

        if (free.Tag is not { } tag)
        {
            return null;
        }

        var allocations = free.Facts
            .Where(f => f.Kind == PoolFactKind.Allocated && f.Site is not null && f.Tag is not null && PoolCalls.IsPoolAllocator(catalog, f.Site.TargetMethod))
            .OrderBy(f => f.Site!.Syntax.SpanStart)
            .ToList();
        var mismatch = allocations.FirstOrDefault(f => f.Tag != tag);
        if (mismatch is null)
        {
            return null;
        }

        var allocationTag = PoolCalls.Argument(mismatch.Site!, PoolCalls.TagOrdinal(catalog, mismatch.Site!.TargetMethod))?.Value.Syntax;
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (!free.ByHelper && allocationTag is not null && allocations.All(f => f.Tag == mismatch.Tag))
        {
            properties = properties.Add(FixableTagProperty, "true");
        }

        var message = Format(
            "PoolFreeMismatchWrongTagText",
            free.BlockText,
            free.ByHelper ? free.TagText + " (by " + ddi + ")" : free.TagText ?? Hex(tag),
            mismatch.Site.TargetMethod.Name,
            Line(mismatch.Site),
            allocationTag?.ToString() ?? Hex(mismatch.Tag!.Value));
        return Diagnostic.Create(
            Descriptors.PoolFreeMismatch, location, new[] { mismatch.Site.Syntax.GetLocation() }, properties, message);
    }

    private static string Line(IOperation operation) => SourceLines.Text(operation.Syntax);

    private static string Hex(uint value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>The message text, formatted in the reader's language when the diagnostic is shown.</summary>
    private static LocalizableResourceString Format(string resource, params string[] arguments) =>
        new(resource, Resources.ResourceManager, typeof(Resources), arguments);
}
