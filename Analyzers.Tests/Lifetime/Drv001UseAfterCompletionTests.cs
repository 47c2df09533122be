using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Lifetime.RequestLifetimeAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Lifetime;

/// <summary>DRV001: a memory object, buffer or MDL used after its request was completed.</summary>
public class Drv001UseAfterCompletionTests
{
    [Fact]
    public Task MemoryUsedAfterCompletion_MessageNamesRequestLineAndDdi() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WDFMEMORY memory;
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out memory);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }

                {|#1:WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4)|};
                WdfMemoryCopyFromBuffer({|#0:memory|}, 0, NULL, 4);
            }
        }
        """,
        Verify.Diagnostic("DRV001").WithLocation(0).WithLocation(1)
            .WithArguments("memory", "Request", "13", "WdfRequestCompleteWithInformation"));

    [Fact]
    public Task BufferFromGetBufferAndOffsetUsedAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                PVOID buffer = WdfMemoryGetBuffer(memory, out nuint size);
                PVOID tail = buffer + 4;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV001:tail|}.Write<uint>(0, 1);
                {|DRV001:buffer|}.Read<byte>(0);
            }
        }
        """);

    [Fact]
    public Task BufferFromRetrieveBufferUsedAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);
                {|DRV001:buffer|}.Write<uint>(0, 0x1234);
            }
        }
        """);

    [Fact]
    public Task MdlAndMappedAddressUsedAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputWdmMdl(Request, out PMDL mdl);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                PVOID address = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV001:address|}.Write<byte>(0, 1);
                uint count = MmGetMdlByteCount({|DRV001:mdl|});
            }
        }
        """);

    [Fact]
    public Task CompletedOnOneBranch_MessageSaysSomePaths() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                if (length < 8)
                {
                    {|#1:WdfRequestComplete(Request, STATUS_BUFFER_TOO_SMALL)|};
                }

                {|#0:buffer|}.Write<uint>(0, 1);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic("DRV001").WithLocation(0).WithLocation(1)
            .WithArguments("buffer", "Request", "8", "WdfRequestComplete on some paths"),
        Verify.Diagnostic("DRV002").WithSpan(12, 9, 12, 52).WithLocation(1)
            .WithArguments("Request", "Request", "WdfRequestComplete", "8", "WdfRequestComplete on some paths"));

    [Fact]
    public Task CompletedInLoop() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoRead|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                while (length > 0)
                {
                    {|DRV001:buffer|}.Write<byte>(length, 1);
                    {|DRV002:WdfRequestComplete(Request, status)|};
                    length--;
                }
            }
        }
        """);

    [Fact]
    public Task CompletedInSwitchCase() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                switch (IoControlCode)
                {
                    case 1:
                        WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                        break;
                    default:
                        buffer.Write<uint>(0, 7);
                        break;
                }

                {|DRV001:buffer|}.Write<uint>(4, 7);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic("DRV002").WithSpan(17, 9, 17, 52).WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null));

    [Fact]
    public Task CompletedInFinally_UseAfterTry() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                try
                {
                    buffer.Write<uint>(0, 1);
                }
                finally
                {
                    WdfRequestComplete(Request, status);
                }

                {|DRV001:buffer|}.Write<uint>(0, 2);
            }
        }
        """);

    [Fact]
    public Task CompletedInCatch_UseAfter() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                try
                {
                    Helper.MayThrow();
                }
                catch (InvalidOperationException)
                {
                    WdfRequestComplete(Request, STATUS_UNSUCCESSFUL);
                }

                {|DRV001:buffer|}.Write<uint>(0, 2);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }

        static class Helper { public static void MayThrow() { } }
        """,
        Verify.Diagnostic("DRV002").WithSpan(16, 9, 16, 52).WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(null));

    [Fact]
    public Task CompletedThenGotoUse() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                if (!NT_SUCCESS(status)) goto Fail;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                goto Log;
            Fail:
                WdfRequestComplete(Request, status);
                return;
            Log:
                {|DRV001:buffer|}.Read<uint>(0);
            }
        }
        """);

    [Fact]
    public Task CopiedPointerUsedAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private PVOID _last;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint length);
                PVOID copy = buffer;
                _last = copy;
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV001:_last|}.Write<byte>(0, 1);
                {|DRV001:copy|}.Write<byte>(0, 1);
            }
        }
        """);

    [Fact]
    public Task LambdaCompletesThenUses() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Register()
            {
                EVT_WDF_IO_QUEUE_IO_READ read = (queue, request, length) =>
                {
                    WdfRequestRetrieveOutputBuffer(request, 4, out PVOID buffer, out nuint size);
                    WdfRequestComplete(request, STATUS_SUCCESS);
                    {|DRV001:buffer|}.Write<byte>(0, 1);
                };
            }
        }
        """);

    [Fact]
    public Task LocalFunctionCompletesCapturedRequest() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                Finish();
                {|DRV001:buffer|}.Write<byte>(0, 1);

                void Finish() => WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    [Fact]
    public Task LocalFunctionUsesCapturedBufferAfterCompletion() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                WdfRequestComplete(Request, STATUS_SUCCESS);
                {|DRV001:Fill()|};

                void Fill() => buffer.Write<byte>(0, 1);
            }
        }
        """);

    // ---- silent ----

    [Fact]
    public Task UsedBeforeCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                PVOID buffer = WdfMemoryGetBuffer(memory, out nuint size);
                buffer.Write<uint>(0, 42);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);
            }
        }
        """);

    [Fact]
    public Task ValuesCopiedOutBeforeCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private readonly byte[] _saved = new byte[16];

            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 4, out PVOID buffer, out nuint length);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                uint value = buffer.Read<uint>(0);
                buffer.CopyTo(_saved, 0);
                PVOID local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C);
                RtlCopyMemory(local, buffer, 4);
                WdfRequestCompleteWithInformation(Request, status, length);
                if (NT_SUCCESS(status) && length > 0 && value != 0)
                {
                    local.Write<uint>(0, value);
                    _saved[0] = 1;
                }

                ExFreePoolWithTag(local, 0x6B6F6F4C);
            }
        }
        """);

    [Fact]
    public Task ReassignedFromNewRequest_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void Drain(WDFQUEUE Queue)
            {
                WDFREQUEST request;
                while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(Queue, out request)))
                {
                    NTSTATUS status = WdfRequestRetrieveOutputMemory(request, out WDFMEMORY memory);
                    if (NT_SUCCESS(status))
                    {
                        WdfMemoryCopyFromBuffer(memory, 0, NULL, 0);
                    }

                    WdfRequestComplete(request, status);
                }
            }
        }
        """);

    [Fact]
    public Task ComparedAfterCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private PVOID _last;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                WdfRequestComplete(Request, STATUS_SUCCESS);
                if (buffer == NULL) { return; }
                buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, 0x6B6F6F4C);
                buffer.Write<byte>(0, 1);
                ExFreePoolWithTag(buffer, 0x6B6F6F4C);
            }
        }
        """);

    [Fact]
    public Task GeneratedCode_NotReported() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("Generated.g.cs", """
                    // <auto-generated/>
                    class GeneratedDriver
                    {
                        void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                        {
                            WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                            buffer.Write<uint>(0, 1);
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }
                    }
                    """),
            },
        },
    }.RunAsync();

    [Fact]
    public Task PragmaSuppresses() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                WdfRequestComplete(Request, STATUS_SUCCESS);
        #pragma warning disable DRV001 // the test suppresses the finding on purpose
                buffer.Write<uint>(0, 1);
        #pragma warning restore DRV001
            }
        }
        """);

    [Fact]
    public Task LambdaCreatedAfterCompletion_UsesBuffer() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private Action? _later;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                WdfRequestComplete(Request, STATUS_SUCCESS);
                _later = () => {|DRV001:buffer|}.Write<uint>(0, 1);
            }
        }
        """);

    [Fact]
    public Task LambdaCreatedBeforeCompletion_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private Action? _fill;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                _fill = () =>
                {
                    buffer.Write<uint>(0, 1);
                    WdfRequestComplete(Request, STATUS_SUCCESS);
                };
            }
        }
        """);

    [Fact]
    public Task SameStatusTestedAgain_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }

                if (NT_SUCCESS(status))
                {
                    buffer.Write<uint>(0, 1);
                    WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);
                }
            }
        }
        """);

    [Fact]
    public Task CompletedFlagTestedAgain_Silent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                WdfRequestRetrieveInputBuffer(Request, 1, out PVOID buffer, out nuint size);
                bool completed = false;
                if (Length == 0)
                {
                    WdfRequestComplete(Request, STATUS_INVALID_PARAMETER);
                    completed = true;
                }

                if (!completed)
                {
                    buffer.Read<byte>(0);
                    WdfRequestComplete(Request, STATUS_SUCCESS);
                }
            }
        }
        """);

    [Fact]
    public Task SameStatusTestedAgainAfterAnotherCompletion_Flagged() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            void {|DRV004:EvtIoRead|}(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                }

                if (Length > 8)
                {
                    {|DRV002:WdfRequestComplete(Request, STATUS_SUCCESS)|};
                }

                if (NT_SUCCESS(status))
                {
                    {|DRV001:buffer|}.Write<uint>(0, 1);
                }
            }
        }
        """);
}
