namespace DriverBuffers.Runtime.Tests.TestSupport;

/// <summary>Pool tags used by the tests ('Tst1', 'Tst2').</summary>
internal static class Tags
{
    public const uint Test = 0x31747354;
    public const uint Other = 0x32747354;
}
