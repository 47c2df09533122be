using System.Collections.Generic;
using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>
/// DRV001, DRV002 and DRV003 across every control-flow shape that can complete a request (branch, loop, switch, goto,
/// try/finally, local function, helper, lambda): flagged when the statement comes after the shape, silent before it.
/// </summary>
public class ControlFlowShapeTests
{
    /// <summary>Code that completes <c>Request</c> (on all or some paths), by shape.</summary>
    private static readonly Dictionary<string, string> Shapes = new()
    {
        ["straight"] = "WdfRequestComplete(Request, STATUS_SUCCESS);",
        ["branch"] = "if (Length > 0) { WdfRequestComplete(Request, STATUS_SUCCESS); }",
        ["else-branch"] = "if (Length > 0) { Length--; } else { WdfRequestComplete(Request, STATUS_SUCCESS); }",
        ["loop"] = "for (int i = 0; i < Extra; i++) { WdfRequestComplete(Request, STATUS_SUCCESS); break; }",
        ["while-loop"] = "while (Length > 0) { if (Length == 1) { WdfRequestComplete(Request, STATUS_SUCCESS); break; } Length--; }",
        ["switch"] = "switch (Extra) { case 0: WdfRequestComplete(Request, STATUS_SUCCESS); break; default: break; }",
        ["goto"] = "if (Length == 0) goto Skip; WdfRequestComplete(Request, STATUS_SUCCESS); Skip: ;",
        ["try-finally"] = "try { Length++; } finally { WdfRequestComplete(Request, STATUS_SUCCESS); }",
        ["try-catch"] = "try { Check(Length); } catch (InvalidOperationException) { WdfRequestComplete(Request, STATUS_UNSUCCESSFUL); }",
        ["local-function"] = "Finish(); void Finish() => WdfRequestComplete(Request, STATUS_SUCCESS);",
        ["helper"] = "Complete(Request);",
    };

    private static readonly Dictionary<string, (string Flagged, string Silent)> Statements = new()
    {
        ["DRV001"] = ("{|DRV001:buffer|}.Write<byte>(0, 1);", "buffer.Write<byte>(0, 1);"),
        ["DRV002"] = ("{|DRV002:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 0)|};", string.Empty),
        ["DRV003"] = ("NTSTATUS later = {|DRV003:WdfRequestGetStatus(Request)|};", "NTSTATUS later = WdfRequestGetStatus(Request);"),
    };

    public static IEnumerable<object[]> Cases()
    {
        foreach (var rule in Statements.Keys)
        {
            foreach (var shape in Shapes.Keys)
            {
                yield return new object[] { rule, shape };
            }
        }
    }

    private static string Method(string body) => $$"""
        class Driver
        {
            void Process(WDFQUEUE Queue, WDFREQUEST Request, nuint Length, int Extra)
            {
                WdfRequestRetrieveOutputBuffer(Request, 1, out PVOID buffer, out nuint size);
                {{body}}
            }

            static void Complete(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);

            static void Check(nuint length)
            {
                if (length == 0) throw new InvalidOperationException();
            }
        }
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public Task AfterTheShape_Flagged(string rule, string shape)
    {
        var statements = Statements[rule];
        var body = shape == "local-function"
            ? "Finish();\n" + statements.Flagged + "\nvoid Finish() => WdfRequestComplete(Request, STATUS_SUCCESS);"
            : Shapes[shape] + "\n" + statements.Flagged;
        return Verify.VerifyAnalyzerAsync(Method(body));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task BeforeTheShape_Silent(string rule, string shape) =>
        Verify.VerifyAnalyzerAsync(Method(Statements[rule].Silent + "\n" + Shapes[shape]));

    [Theory]
    [MemberData(nameof(Cases))]
    public Task InsideALambdaCallback_Flagged(string rule, string shape)
    {
        var statements = Statements[rule];
        var body = shape == "local-function"
            ? "Finish();\n" + statements.Flagged + "\nvoid Finish() => WdfRequestComplete(Request, STATUS_SUCCESS);"
            : Shapes[shape] + "\n" + statements.Flagged;
        var source = $$"""
            class Driver
            {
                int Extra;

                void Register(DriverBuffers.Hosting.DriverHost host)
                {
                    host.EvtIoRead = (Queue, Request, Length) =>
                    {
                        WdfRequestRetrieveOutputBuffer(Request, 1, out PVOID buffer, out nuint size);
                        {{body}}
                        if (Extra == 12345) { return; }
                        WdfObjectReference(Queue);
                    };
                }

                static void Complete(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);

                static void Check(nuint length)
                {
                    if (length == 0) throw new InvalidOperationException();
                }
            }
            """;
        return new Verify.Test
        {
            TestCode = source,
            DisabledDiagnostics = { "DRV004" },
        }.RunAsync();
    }
}
