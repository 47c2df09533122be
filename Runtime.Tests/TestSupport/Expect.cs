using System;
using Xunit;

namespace DriverBuffers.Runtime.Tests.TestSupport;

/// <summary>Assertions on verifier violations.</summary>
internal static class Expect
{
    /// <summary>Asserts that <paramref name="action"/> raises a violation of <paramref name="rule"/> and returns it.</summary>
    public static WdfViolationException Violation(string rule, Action action)
    {
        var violation = Assert.Throws<WdfViolationException>(action);
        Assert.Equal(rule, violation.Rule);
        return violation;
    }

    /// <summary>Asserts that <paramref name="action"/> raises an NT exception with <paramref name="status"/>.</summary>
    public static NtStatusException Raise(NTSTATUS status, Action action)
    {
        var raised = Assert.Throws<NtStatusException>(action);
        Assert.Equal(status, raised.Status);
        return raised;
    }
}
