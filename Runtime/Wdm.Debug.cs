using System.Diagnostics;
using System.Runtime.CompilerServices;
using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// The WDK's assertion macros. As in C they exist only in a checked (debug) build of the driver: each is
/// <c>[Conditional("DBG")]</c>, so a driver compiled without <c>DBG</c> defined (a free build, the default: WDK Debug
/// configurations define <c>DBG=1</c>, define it with <c>&lt;DefineConstants&gt;$(DefineConstants);DBG&lt;/DefineConstants&gt;</c>)
/// has no call and does not even evaluate the expression. An assertion is therefore no bound: the code after it runs with
/// whatever the expression ruled out. In a checked build a false expression is what the kernel debugger stops on
/// (<c>STATUS_ASSERTION_FAILURE</c>): the violation <c>AssertionFailure</c>, thrown when the verifier is on; with the
/// verifier off it is recorded and the driver goes on, as after <c>g</c> in the debugger.
/// </summary>
public static partial class Wdm
{
    /// <summary>C's <c>ASSERT(Expression)</c>: only with <c>DBG</c> defined; false is an <c>AssertionFailure</c> violation.</summary>
    [Conditional("DBG")]
    public static void ASSERT(bool Expression, [CallerArgumentExpression(nameof(Expression))] string ExpressionText = "") =>
        Check(Expression, nameof(ASSERT), ExpressionText, null);

    /// <summary>C's <c>NT_ASSERT(Expression)</c>: only with <c>DBG</c> defined; false is an <c>AssertionFailure</c> violation.</summary>
    [Conditional("DBG")]
    public static void NT_ASSERT(bool Expression, [CallerArgumentExpression(nameof(Expression))] string ExpressionText = "") =>
        Check(Expression, nameof(NT_ASSERT), ExpressionText, null);

    /// <summary>C's <c>ASSERTMSG(Message, Expression)</c>: <see cref="ASSERT"/> that also names <paramref name="Message"/>.</summary>
    [Conditional("DBG")]
    public static void ASSERTMSG(string Message, bool Expression, [CallerArgumentExpression(nameof(Expression))] string ExpressionText = "") =>
        Check(Expression, nameof(ASSERTMSG), ExpressionText, Message);

    /// <summary>C's <c>NT_ASSERTMSG(Message, Expression)</c>: <see cref="NT_ASSERT"/> that also names <paramref name="Message"/>.</summary>
    [Conditional("DBG")]
    public static void NT_ASSERTMSG(string Message, bool Expression, [CallerArgumentExpression(nameof(Expression))] string ExpressionText = "") =>
        Check(Expression, nameof(NT_ASSERTMSG), ExpressionText, Message);

    private static void Check(bool expression, string macro, string expressionText, string? message)
    {
        if (expression)
        {
            return;
        }
        var said = string.IsNullOrEmpty(message) ? "" : $" ({message})";
        AmbientRuntime.Current.Verifier.Report(Rules.AssertionFailure, macro, "(thread)",
            $"assertion failed: {expressionText}{said}; a checked build stops in the kernel debugger (STATUS_ASSERTION_FAILURE), " +
            "a free build has no check here at all, so the code after it must not rely on it");
    }
}
