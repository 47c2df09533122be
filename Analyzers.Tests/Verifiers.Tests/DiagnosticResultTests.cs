using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Tests.Verifiers.Tests.BadNameAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Verifiers.Tests;

public class DiagnosticResultTests
{
    [Fact]
    public void WithMethodsReturnChangedCopies()
    {
        var original = Verify.Diagnostic();
        var changed = original.WithSpan(1, 2, 3, 4).WithLocation(0).WithArguments("Bad").WithSeverity(DiagnosticSeverity.Error)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

        Assert.Equal("TST001", original.Id);
        Assert.Empty(original.Spans);
        Assert.Null(original.MessageArguments);
        Assert.Equal(DiagnosticSeverity.Warning, original.Severity);
        Assert.Equal(DiagnosticOptions.None, original.Options);

        Assert.Equal(2, changed.Spans.Length);
        Assert.Equal(new FileLinePositionSpan(string.Empty, new(0, 1), new(2, 3)), changed.Spans[0].Span);
        Assert.Equal(DiagnosticLocationOptions.InterpretAsMarkupKey, changed.Spans[1].Options);
        Assert.Equal(DiagnosticSeverity.Error, changed.Severity);
        Assert.Equal("Identifier 'Bad' should be renamed", changed.Message);
        Assert.Null(changed.WithMessage(null).Message);
        Assert.Equal("other", changed.WithMessage("other").Message);
    }

    [Fact]
    public void LocationByLineAndColumnIgnoresLength()
    {
        var location = Verify.Diagnostic().WithLocation(3, 7).Spans[0];
        Assert.Equal(new(2, 6), location.Span.StartLinePosition);
        Assert.Equal(DiagnosticLocationOptions.IgnoreLength, location.Options);
    }

    [Fact]
    public void DiagnosticByIdNeedsASupportedId()
    {
        Assert.Equal("TST001", Verify.Diagnostic("TST001").Id);
        Assert.Throws<InvalidOperationException>(() => Verify.Diagnostic("TST404"));
    }

    [Fact]
    public async Task UnknownMarkupKeyIsAnError()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Verify.VerifyAnalyzerAsync("class C { }", Verify.Diagnostic().WithLocation(3)));
        Assert.Contains("WithLocation(3)", e.Message, StringComparison.Ordinal);
    }
}
