using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>Helper methods in the same compilation: their summaries apply at the call site.</summary>
public class HelperSummaryTests
{
    [Fact]
    public Task HelperCompletes_UseAfterwardFlaggedWithHelperName() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                {|#1:Finish(Request, STATUS_SUCCESS)|};
                {|#0:buffer|}.Write<uint>(0, 1);
            }

            static void Finish(WDFREQUEST request, NTSTATUS status)
            {
                WdfRequestCompleteWithInformation(request, status, 0);
            }
        }
        """,
        Verify.Diagnostic("DRV001").WithLocation(0).WithLocation(1).WithArguments("buffer", "Request", "6", "Finish"));

    [Fact]
    public Task HelperCompletesTwiceAtCallSites() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Finish(Request);
                {|DRV002:Finish(Request)|};
            }

            static void Finish(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
        }
        """);

    [Fact]
    public Task NestedHelpersWithinDepth() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Level1(Request);
                {|DRV003:WdfRequestGetStatus(Request)|};
            }

            static void Level1(WDFREQUEST request) => Level2(request);
            static void Level2(WDFREQUEST request) => Level3(request);
            static void Level3(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
        }
        """);

    [Fact]
    public Task HelperBeyondDepth_TreatedAsUnknown_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Level1(Request);
                NTSTATUS status = WdfRequestGetStatus(Request);
            }

            static void Level1(WDFREQUEST request) => Level2(request);
            static void Level2(WDFREQUEST request) => Level3(request);
            static void Level3(WDFREQUEST request) => Level4(request);
            static void Level4(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
        }
        """);

    [Fact]
    public Task RecursiveHelpers_NoHang_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Ping(Request, 3);
            }

            static void Ping(WDFREQUEST request, int n) { if (n > 0) Pong(request, n - 1); else WdfRequestComplete(request, STATUS_SUCCESS); }
            static void Pong(WDFREQUEST request, int n) => Ping(request, n);
        }
        """);

    [Fact]
    public Task HelperUsesBufferBeforeCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 8, out PVOID buffer, out nuint size);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                Fill(buffer, size);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, size);
            }

            static void Fill(PVOID buffer, nuint size)
            {
                for (nuint i = 0; i < size; i++)
                {
                    buffer.Write<byte>(i, 0xAA);
                }
            }
        }
        """);

    [Fact]
    public Task HelperUsesBufferAfterCompletion_Flagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 8, out PVOID buffer, out nuint size);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, size);
                Fill({|DRV001:buffer|});
            }

            static void Fill(PVOID buffer) => buffer.Write<byte>(0, 0xAA);
        }
        """);

    [Fact]
    public Task HelperIgnoresItsBufferParameter_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private int _count;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 8, out PVOID buffer, out nuint size);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, size);
                Count(buffer);
            }

            void Count(PVOID buffer) => _count++;
        }
        """);

    [Fact]
    public Task HelperOnlyReadsRequest_RequestStillOwned() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoRead|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Trace(Request);
            }

            static void Trace(WDFREQUEST request)
            {
                nuint information = WdfRequestGetInformation(request);
            }
        }
        """);

    [Fact]
    public Task HelperStoresRequest_Kept_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private WDFREQUEST _pending;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                Park(Request);
            }

            void Park(WDFREQUEST request) { _pending = request; }
        }
        """);

    [Fact]
    public Task HelperInAnotherFileOfTheCompilation() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                """
                partial class Driver
                {
                    void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                    {
                        Util.Finish(Request);
                        {|DRV002:WdfRequestComplete(Request, STATUS_SUCCESS)|};
                    }
                }
                """,
                """
                static class Util
                {
                    public static void Finish(WDFREQUEST request) => WdfRequestComplete(request, STATUS_SUCCESS);
                }
                """,
            },
        },
    }.RunAsync();

    [Fact]
    public Task ExtensionMethodHelperCompletes() => Verify.VerifyAnalyzerAsync("""
        static class RequestExtensions
        {
            public static void Finish(this WDFREQUEST request, NTSTATUS status) => WdfRequestComplete(request, status);
        }

        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveInputBuffer(Request, 1, out PVOID buffer, out nuint size);
                Request.Finish(STATUS_SUCCESS);
                {|DRV001:buffer|}.Read<byte>(0);
            }
        }
        """);

    [Fact]
    public Task HelperReturnsTheRequestBuffer_UsedAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PVOID output = OutputOf(Request) + 4;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV001:output|}.Write<uint>(0, 1);
            }

            static PVOID OutputOf(WDFREQUEST request)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(request, 8, out PVOID buffer, out nuint length);
                return NT_SUCCESS(status) ? buffer : NULL;
            }
        }
        """);

    [Fact]
    public Task HelperGivesBackTheMemoryThroughOut_UsedAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                if (!TryGetInput(Request, out WDFMEMORY input, out nuint size))
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                    return;
                }

                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, size);
                WdfMemoryCopyToBuffer({|DRV001:input|}, 0, NULL, 0);
            }

            static bool TryGetInput(WDFREQUEST request, out WDFMEMORY memory, out nuint size)
            {
                size = 0;
                if (!NT_SUCCESS(WdfRequestRetrieveInputMemory(request, out memory)))
                {
                    return false;
                }

                WdfMemoryGetBuffer(memory, out size);
                return true;
            }
        }
        """);

    [Fact]
    public Task HelperReturnsDriverMemory_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x706D6554;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PVOID scratch = Allocate(Request);
                WdfRequestComplete(Request, STATUS_SUCCESS);
                if (scratch != NULL)
                {
                    scratch.Write<uint>(0, 1);
                    ExFreePoolWithTag(scratch, Tag);
                }
            }

            static PVOID Allocate(WDFREQUEST request)
            {
                nuint size = WdfRequestGetInformation(request) + 16;
                return ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag);
            }
        }
        """);
}
