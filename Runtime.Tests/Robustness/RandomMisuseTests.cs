using System;
using System.Collections.Generic;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Robustness;

/// <summary>
/// A seeded random mix of right and wrong DDI calls (stale handles, wild offsets and lengths, double frees)
/// with the verifier off and on: nothing may surface as a .NET exception (other than the verifier's own), and the application's data must arrive
/// intact. Only the simulated system's own raised exceptions (NtStatusException) are allowed.
/// </summary>
public class RandomMisuseTests
{
    private bool violationsThrow;

    private static readonly nuint[] Sizes = { 0, 1, 3, 8, 64, 4095, 4097, nuint.MaxValue };

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void Random_misuse_never_breaks_the_runtime(int seed, bool verifierEnabled)
    {
        violationsThrow = verifierEnabled;
        var random = new Random(seed);
        using var host = new DriverHost(verifierEnabled: verifierEnabled);
        var memories = new List<WDFMEMORY>();
        var pointers = new List<PVOID> { NULL };
        var requests = new List<WDFREQUEST> { default };
        var mdls = new List<PMDL> { default };
        nuint Size() => Sizes[random.Next(Sizes.Length)];
        T Pick<T>(List<T> items) => items[random.Next(items.Count)];
        WDFMEMORY AnyMemory() => memories.Count == 0 ? default : Pick(memories);

        var operations = new Action[]
        {
            () => { if (NT_SUCCESS(WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, PagedPool, Tags.Test, Size(), out var m, out PVOID b))) { memories.Add(m); pointers.Add(b); } },
            () => WdfObjectDelete(AnyMemory()),
            () => WdfMemoryCopyFromBuffer(AnyMemory(), Size(), Pick(pointers), Size()),
            () => WdfMemoryCopyToBuffer(AnyMemory(), Size(), Pick(pointers), Size()),
            () => pointers.Add(WdfMemoryGetBuffer(AnyMemory(), NULL) + (int)random.Next(-8, 8)),
            () => pointers.Add(ExAllocatePool2(POOL_FLAG_NON_PAGED, Size(), Tags.Test)),
            () => ExFreePoolWithTag(Pick(pointers), random.Next(2) == 0 ? Tags.Test : Tags.Other),
            () => RtlCopyMemory(Pick(pointers), Pick(pointers), Size()),
            () => RtlFillMemory(Pick(pointers), Size(), 0x5A),
            () => Pick(pointers).Write<long>(Size(), 1),
            () => Pick(pointers).Read<int>(Size()),
            () => mdls.Add(IoAllocateMdl(Pick(pointers), (uint)random.Next(0, 100), FALSE, FALSE, NULL)),
            () => MmBuildMdlForNonPagedPool(Pick(mdls)),
            () => pointers.Add(MmGetSystemAddressForMdlSafe(Pick(mdls), NormalPagePriority)),
            () => MmUnlockPages(Pick(mdls)),
            () => IoFreeMdl(Pick(mdls)),
            () => { WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, host.LowerTarget.Handle, out var r); requests.Add(r); },
            () => WdfIoTargetFormatRequestForRead(host.LowerTarget.Handle, Pick(requests), AnyMemory(), new WDFMEMORY_OFFSET { BufferOffset = Size(), BufferLength = Size() }, NULL),
            () => WdfRequestSend(Pick(requests), host.LowerTarget.Handle, WDF_NO_SEND_OPTIONS),
            () => { WDF_REQUEST_REUSE_PARAMS_INIT(out var p, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS); WdfRequestReuse(Pick(requests), p); },
            () => WdfRequestComplete(Pick(requests), STATUS_SUCCESS),
            () => WdfObjectDelete(Pick(requests)),
        };

        host.LowerTarget.RespondWith(STATUS_SUCCESS, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        host.EvtIoRead = (queue, request, length) =>
        {
            for (int i = 0; i < 5; i++)
            {
                Run(operations[random.Next(operations.Length)]);
            }
            requests.Add(request);
            WdfRequestRetrieveOutputBuffer(request, 0, out PVOID buffer, NULL);
            pointers.Add(buffer);
            buffer.Write<byte>(0, 0x42);
            WdfRequestCompleteWithInformation(request, STATUS_SUCCESS, 1);
        };
        var userData = new byte[] { 9, 8, 7, 6 };

        for (int i = 0; i < 3000; i++)
        {
            if (i % 50 == 0)
            {
                var result = host.Read(new byte[] { 1, 1, 1, 1 });
                Assert.Equal(new byte[] { 0x42, 1, 1, 1 }, result.UserBuffer);
                host.Write(userData);
                Assert.Equal(new byte[] { 9, 8, 7, 6 }, userData);
            }
            Run(() => host.Run(operations[random.Next(operations.Length)]));
        }
        Assert.NotEmpty(host.Violations);
        host.Unload();
    }

    private void Run(Action operation)
    {
        try
        {
            operation();
        }
        catch (WdfViolationException) when (violationsThrow)
        {
            // With the verifier on, misuse is reported by throwing; the runtime must stay usable afterwards.
        }
        catch (NtStatusException)
        {
            // A raised status (probe, lock) is the simulated system's own exception, not a runtime failure.
        }
    }
}
