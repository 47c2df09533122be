using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.MemoryOwnershipAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV041: WdfMemoryAssignBuffer on memory that owns its buffer.</summary>
public class Drv041Tests
{
    [Fact]
    public Task FlagsMemoryFromWdfMemoryCreate() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Swap(PVOID other)
            {
                NTSTATUS status = {|#1:WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x64657246, 64, out WDFMEMORY memory, out PVOID buffer)|};
                if (!NT_SUCCESS(status)) { return; }
                status = {|#0:WdfMemoryAssignBuffer(memory, other, 64)|};
            }
        }
        """,
        Verify.Diagnostic("DRV041").WithLocation(0).WithLocation(1).WithArguments("memory", "WdfMemoryCreate", 5));

    [Fact]
    public Task FlagsLookasideRequestAndProbedMemory() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Swap(WDFLOOKASIDE lookaside, WDFREQUEST request, PVOID other, PVOID user)
            {
                WdfMemoryCreateFromLookaside(lookaside, out WDFMEMORY fromList);
                {|DRV041:WdfMemoryAssignBuffer(fromList, other, 64)|};

                WDFMEMORY output;
                if (!NT_SUCCESS(WdfRequestRetrieveOutputMemory(request, out output))) { return; }
                WDFMEMORY copy = output;
                {|DRV041:WdfMemoryAssignBuffer(copy, other, 64)|};

                WdfRequestRetrieveInputMemory(request, out WDFMEMORY input);
                {|DRV041:WdfMemoryAssignBuffer(input, other, 64)|};

                WdfRequestProbeAndLockUserBufferForRead(request, user, 16, out WDFMEMORY locked);
                {|DRV041:WdfMemoryAssignBuffer(locked, other, 64)|};
            }
        }
        """);

    [Fact]
    public Task FlagsWhenEveryPathOwnsItsBuffer() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Swap(WDFLOOKASIDE lookaside, PVOID other, bool fromList)
            {
                WDFMEMORY memory;
                if (fromList)
                {
                    WdfMemoryCreateFromLookaside(lookaside, out memory);
                }
                else
                {
                    WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, 0x64657246, 64, out memory, NULL);
                }

                {|DRV041:WdfMemoryAssignBuffer(memory, other, 64)|};
            }
        }
        """);

    [Fact]
    public Task SilentForPreallocatedMemory() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Swap(PVOID first, PVOID second)
            {
                NTSTATUS status = WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, first, 64, out WDFMEMORY memory);
                if (!NT_SUCCESS(status)) { return; }
                status = WdfMemoryAssignBuffer(memory, second, 32);
                status = WdfMemoryAssignBuffer(memory, first, 64);
            }
        }
        """);

    [Fact]
    public Task SilentWhenOriginUnknownOnSomePath() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            WDFMEMORY _memory;

            void Swap(WDFMEMORY parameter, PVOID buffer, bool owned)
            {
                WDFMEMORY memory = parameter;
                if (owned)
                {
                    WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, 0x64657246, 64, out memory, NULL);
                }

                WdfMemoryAssignBuffer(memory, buffer, 64);
                WdfMemoryAssignBuffer(parameter, buffer, 64);
                WdfMemoryAssignBuffer(_memory, buffer, 64);

                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, 0x64657246, 64, out memory, NULL);
                memory = Lookup();
                WdfMemoryAssignBuffer(memory, buffer, 64);

                WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, 0x64657246, 64, out memory, NULL);
                Replace(out memory);
                WdfMemoryAssignBuffer(memory, buffer, 64);
            }

            WDFMEMORY Lookup() => _memory;

            void Replace(out WDFMEMORY memory) => memory = _memory;
        }
        """);

    [Fact]
    public Task SilentWhenPreallocatedOnSomePath() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Swap(PVOID buffer, bool preallocated)
            {
                WDFMEMORY memory;
                if (preallocated)
                {
                    WdfMemoryCreatePreallocated(WDF_NO_OBJECT_ATTRIBUTES, buffer, 64, out memory);
                }
                else
                {
                    WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, 0x64657246, 64, out memory, NULL);
                }

                WdfMemoryAssignBuffer(memory, buffer, 64);
            }
        }
        """);

    [Fact]
    public Task NoCrashOnIncompleteCode() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                static void Swap(PVOID other)
                {
                    WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x64657246, 64, out WDFMEMORY memory, out PVOID
                    WdfMemoryAssignBuffer(memory other, 64);
                    WdfMemoryAssignBuffer(
            """,
        CompilerDiagnostics = CompilerDiagnostics.None,
    }.RunAsync();
}
