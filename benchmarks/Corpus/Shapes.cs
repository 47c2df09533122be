using System;
using System.Collections.Generic;
using System.Linq;

namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>
/// The shapes of the budget table at the sizes issue 10 names. <see cref="BudgetCorpus"/> is the driver corpus the
/// 10% budget is checked on as a whole; the 100-statement and 10k-line shapes are there for the linearity checks.
/// </summary>
public static class Shapes
{
    public const string Ioctl = "ioctl-switch";
    public const string Method100 = "method-100";
    public const string Method1000 = "method-1000";
    public const string Method2000 = "method-2000";
    public const string Method2000Try = "method-2000-try";
    public const string ManyHandles = "handles-100";
    public const string FieldRequests800 = "field-requests-800";
    public const string FieldRequests10k = "field-requests-10k";
    public const string FieldRequests40k = "field-requests-40k";
    public const string HelperChains = "helper-chains-10";
    public const string LoopsGoto = "loops-goto";
    public const string CopyHeavy = "copy-heavy";
    public const string Ordinary = "ordinary";
    public const string OrdinaryBesideDriver = "ordinary-beside-driver";

    private static readonly Lazy<IReadOnlyList<CorpusShape>> LazyAll = new(Create);

    /// <summary>Every shape, in table order.</summary>
    public static IReadOnlyList<CorpusShape> All => LazyAll.Value;

    /// <summary>The driver shapes whose sum is "the driver corpus" of the 10% budget (each also checked alone).</summary>
    public static IReadOnlyList<string> BudgetCorpus { get; } = new[]
    {
        Ioctl, Method1000, Method2000, Method2000Try, ManyHandles, FieldRequests800, HelperChains, LoopsGoto, CopyHeavy,
    };

    public static CorpusShape Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"No shape '{name}'; the shapes: {string.Join(", ", All.Select(s => s.Name))}");

    private static IReadOnlyList<CorpusShape> Create()
    {
        var fieldRequests = new FieldRequestsGenerator();
        return new[]
        {
            new CorpusShape(Ioctl, "queue callbacks with a 200-case IOCTL switch", CodeKind.Driver, new IoctlSwitchGenerator(), 3),
            new CorpusShape(Method100, "100-statement callbacks (20 of them)", CodeKind.Driver, new LongMethodGenerator(insideTry: false), 100),
            new CorpusShape(Method1000, "1,000-statement callbacks (2 of them)", CodeKind.Driver, new LongMethodGenerator(insideTry: false), 1000),
            new CorpusShape(Method2000, "a 2,000-statement callback", CodeKind.Driver, new LongMethodGenerator(insideTry: false), 2000),
            new CorpusShape(Method2000Try, "a 2,000-statement callback inside one try", CodeKind.Driver, new LongMethodGenerator(insideTry: true), 2000),
            new CorpusShape(ManyHandles, "100 handles alive at once (memory, pool, MDLs), 6 methods", CodeKind.Driver, new ManyHandlesGenerator(), 100),
            new CorpusShape(FieldRequests800, "driver-created requests in device-context fields, 800 classes", CodeKind.Driver, fieldRequests, 800),
            new CorpusShape(FieldRequests10k, "the same, 10k lines", CodeKind.Driver, fieldRequests, fieldRequests.SizeForLines(10_000)),
            new CorpusShape(FieldRequests40k, "the same, 40k lines", CodeKind.Driver, fieldRequests, fieldRequests.SizeForLines(40_000)),
            new CorpusShape(HelperChains, "helper chains 10 deep (completion, pool free, reuse)", CodeKind.Driver, new HelperChainGenerator(), 60),
            new CorpusShape(LoopsGoto, "nested loops with goto Retry/Done/Exit", CodeKind.Driver, new LoopsWithGotoGenerator(), 100),
            new CorpusShape(CopyHeavy, "copy-heavy code with many sizes, 10k lines", CodeKind.Driver, new CopyHeavyGenerator(), new CopyHeavyGenerator().SizeForLines(10_000)),
            new CorpusShape(Ordinary, "collections, LINQ, strings; references the API, never touches it", CodeKind.Ordinary, new OrdinaryCodeGenerator(), new OrdinaryCodeGenerator().SizeForLines(10_000)),
            new CorpusShape(OrdinaryBesideDriver, "the same with the API's global usings (ordinary code in a driver project)", CodeKind.Ordinary, new OrdinaryCodeGenerator(besideDriverCode: true), new OrdinaryCodeGenerator().SizeForLines(10_000)),
        };
    }
}
