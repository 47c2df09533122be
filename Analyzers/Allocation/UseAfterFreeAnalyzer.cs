using System.Collections.Generic;
using DriverBuffers.Analyzers.Analyses.Pool;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Allocation;

/// <summary>
/// DRV036: a pool block, an MDL, a lookaside entry or a memory object used after it was freed or deleted
/// (<c>ExFreePool*</c>, <c>IoFreeMdl</c>, <c>ExFreeToNPagedLookasideList</c>, <c>WdfObjectDelete</c>) on some path: given
/// to a DDI, read or written through an accessor, handed to a helper that uses it, or freed again (pool freed twice is
/// DRV034's). Also through a copy of the pointer (<c>q = p</c>, <c>p + offset</c>, the buffer of a deleted memory
/// object), a field or context path, and a helper that frees it. An observer of the shared pool-block analysis
/// (<see cref="PoolBlocks"/>), which DRV034 reads too.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAfterFreeAnalyzer : DriverApiAnalyzer
{
    public UseAfterFreeAnalyzer()
        : base(Descriptors.UseAfterFree)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api) =>
        PoolBlocks.RegisterRule(context, (_, report) => new Observer(report));

    private sealed class Observer : PoolObserver
    {
        private readonly System.Action<Diagnostic> _report;
        private readonly HashSet<(IOperation, TrackedLocation)> _reported = new();

        public Observer(System.Action<Diagnostic> report) => _report = report;

        public override void OnUse(PoolUseEvent use)
        {
            if (FirstFree(use.Facts) is { } freed && _reported.Add((use.Site, use.Block)))
            {
                Report(use.Site, use.BlockText, use.ByHelper ?? UsedBy(use.Site), freed);
            }
        }

        public override void OnFree(PoolFreeEvent free)
        {
            // Pool freed twice is DRV034's; an MDL, a lookaside entry or an object ended twice is a use of a dead one.
            if (free.Kind != FreeKind.Pool && FirstFree(free.Facts) is { } freed && _reported.Add((free.Free, free.Block)))
            {
                Report(free.Free, free.BlockText, free.Free.TargetMethod.Name, freed);
            }
        }

        /// <summary>The earliest free (in the text) that may have ended the block on some path, or null.</summary>
        private static PoolFact? FirstFree(System.Collections.Immutable.ImmutableHashSet<PoolFact> facts)
        {
            PoolFact? freed = null;
            foreach (var fact in facts)
            {
                if (fact.Kind == PoolFactKind.Freed && fact.Site is not null &&
                    (freed is null || fact.Site.Syntax.SpanStart < freed.Site!.Syntax.SpanStart))
                {
                    freed = fact;
                }
            }

            return freed;
        }

        private void Report(IOperation site, string blockText, string usedBy, PoolFact freed)
        {

            var freeSite = freed.Site!;
            var deleted = freeSite.TargetMethod.Name == DdiNames.WdfObjectDelete ? "deleted" : "freed";
            _report(Diagnostic.Create(
                Descriptors.UseAfterFree,
                site.Syntax.GetLocation(),
                new[] { freeSite.Syntax.GetLocation() },
                blockText,
                usedBy,
                deleted,
                freeSite.TargetMethod.Name,
                SourceLines.Text(freeSite.Syntax)));
        }

        private static string UsedBy(IOperation site) =>
            site is IInvocationOperation invocation ? invocation.TargetMethod.Name : site.Syntax.ToString();
    }
}
