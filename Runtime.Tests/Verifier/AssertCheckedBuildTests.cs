#define DBG
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Verifier;

/// <summary>
/// The assertion macros in a checked build (this file defines <c>DBG</c>, as a WDK Debug configuration does): a false
/// expression is what the kernel debugger stops on, the violation <c>AssertionFailure</c>; a true one does nothing.
/// </summary>
public class AssertCheckedBuildTests
{
    [Fact]
    public void A_false_ASSERT_is_an_AssertionFailure_naming_the_expression()
    {
        using var host = new DriverHost();
        int length = 24;
        host.Run(() =>
        {
            var violation = Expect.Violation("AssertionFailure", () => NT_ASSERT(length == 16));
            Assert.Equal("NT_ASSERT", violation.Ddi);
            Assert.Contains("length == 16", violation.Message);
            Expect.Violation("AssertionFailure", () => ASSERT(length < 8));
            Assert.Contains("too long", Expect.Violation("AssertionFailure", () => ASSERTMSG("too long", length <= 16)).Message);
            Expect.Violation("AssertionFailure", () => NT_ASSERTMSG("too long", length <= 16));
        });
        Assert.Equal(4, host.Violations.Count);
    }

    [Fact]
    public void A_true_ASSERT_does_nothing()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            ASSERT(true);
            NT_ASSERT(1 + 1 == 2);
            ASSERTMSG("never", true);
            NT_ASSERTMSG("never", true);
        });
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void With_the_verifier_off_a_false_ASSERT_is_recorded_and_the_driver_goes_on()
    {
        using var host = new DriverHost { VerifierEnabled = false };
        bool after = false;
        host.Run(() =>
        {
            NT_ASSERT(false);
            after = true;
        });
        Assert.True(after);
        Assert.Equal("AssertionFailure", Assert.Single(host.Violations).Rule);
    }
}
