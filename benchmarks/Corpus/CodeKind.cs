namespace DriverBuffers.Benchmarks.Corpus;

/// <summary>Whether a shape is driver code (budget: 10% of compile) or ordinary code beside the API (1%).</summary>
public enum CodeKind
{
    Driver,
    Ordinary,
}
