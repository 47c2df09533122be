using System;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>Which compiler diagnostics take part in the comparison (mirrors Microsoft.CodeAnalysis.Testing).</summary>
public enum CompilerDiagnostics
{
    /// <summary>No compiler diagnostic is compared: for tests on incomplete code.</summary>
    None = 0,

    /// <summary>Compiler errors must be expected (the default).</summary>
    Errors = 1,

    /// <summary>Compiler errors and warnings must be expected.</summary>
    Warnings = 2,

    /// <summary>Compiler errors, warnings and info diagnostics must be expected.</summary>
    Suggestions = 3,

    /// <summary>Every compiler diagnostic, hidden ones too, must be expected.</summary>
    All = 4,
}

/// <summary>Changes to how a code fix test runs (mirrors Microsoft.CodeAnalysis.Testing).</summary>
[Flags]
public enum CodeFixTestBehaviors
{
    None = 0,

    /// <summary>Apply exactly one code fix in the iterative phase and compare with FixedState; Fix All is compared with BatchFixedState.</summary>
    FixOne = 1,

    SkipFixAllInDocumentCheck = 2,

    SkipFixAllInProjectCheck = 4,

    /// <summary>Skips every Fix All check (the fix need not have a Fix All provider).</summary>
    SkipFixAllCheck = SkipFixAllInDocumentCheck | SkipFixAllInProjectCheck,
}
