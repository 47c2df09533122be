using System;
using Xunit.Sdk;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>A failed verification: the test fails with this message.</summary>
public sealed class VerifierException : XunitException
{
    public VerifierException(string message)
        : base(message)
    {
    }

    public VerifierException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
