using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Verifier;

/// <summary>
/// The assertion macros in a free build (no <c>DBG</c>, the default): compiled out as in C, so a false expression
/// is no violation and the expression is not even evaluated. A bound that is only an assertion is no bound
/// (see AssertCheckedBuildTests for the checked build).
/// </summary>
public class AssertFreeBuildTests
{
    [Fact]
    public void A_false_ASSERT_is_compiled_out_and_its_expression_not_evaluated()
    {
        using var host = new DriverHost();
        int evaluated = 0;
        bool Fails()
        {
            evaluated++;
            return false;
        }
        host.Run(() =>
        {
            ASSERT(Fails());
            NT_ASSERT(Fails());
            ASSERTMSG("m", Fails());
            NT_ASSERTMSG("m", Fails());
        });
        Assert.Equal(0, evaluated);
        Assert.Empty(host.Violations);
    }
}
