using System.Linq;
using System.Runtime.CompilerServices;
using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Verifier;

/// <summary>
/// What the unload finds has no driver frame on the stack, so the violation carries where it was set up: a leak the
/// stack of its allocation (<see cref="WdfViolationException.AllocationStack"/>), a request never completed the
/// driver callback that received it (<see cref="WdfViolationException.ReceivingCallback"/>).
/// </summary>
public class UnloadFindingsPlaceTests
{
    private static readonly uint Ioctl = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateAndForget() => ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6b61654c);

    private static bool HasFrame(System.Diagnostics.StackTrace? stack, string method) =>
        stack is not null && stack.GetFrames().Any(frame => frame.GetMethod()?.Name == method);

    [Fact]
    public void A_pool_leak_carries_the_stack_of_the_drivers_allocation()
    {
        using var host = new DriverHost();
        host.Run(AllocateAndForget);

        var leak = Assert.Single(host.Unload().Violations);

        Assert.Equal("PoolLeak", leak.Rule);
        Assert.True(HasFrame(leak.AllocationStack, nameof(AllocateAndForget)), leak.AllocationStack?.ToString());
        Assert.Null(leak.ReceivingCallback);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TakeFromLookaside(WDFLOOKASIDE lookaside) => WdfMemoryCreateFromLookaside(lookaside, out _);

    [Fact]
    public void A_lookaside_buffer_never_returned_carries_the_stack_that_took_it()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 32, NonPagedPoolNx, WDF_NO_OBJECT_ATTRIBUTES, 0x6b61654c, out var lookaside);
            TakeFromLookaside(lookaside);
        });

        var leak = host.Unload().Violations.Single(v => v.Rule == "LookasideLeak");

        Assert.True(HasFrame(leak.AllocationStack, nameof(TakeFromLookaside)), leak.AllocationStack?.ToString());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static NPAGED_LOOKASIDE_LIST InitializeWdmLookaside()
    {
        ExInitializeNPagedLookasideList(out var list, NULL, NULL, 0, 16, 0x6b61654c, 0);
        return list;
    }

    [Fact]
    public void A_wdm_lookaside_list_never_deleted_carries_the_stack_that_initialized_it()
    {
        using var host = new DriverHost();
        host.Run(() => InitializeWdmLookaside());

        var leak = host.Unload().Violations.Single(v => v.Rule == "LookasideLeak");

        Assert.True(HasFrame(leak.AllocationStack, nameof(InitializeWdmLookaside)), leak.AllocationStack?.ToString());
    }

    private static void ReadThatIsForgotten(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
    }

    [Fact]
    public void A_request_never_completed_names_the_queue_callback_that_received_it()
    {
        using var host = new DriverHost { EvtIoRead = ReadThatIsForgotten };
        host.Read(4);

        var violation = Assert.Single(host.Unload().Violations);

        Assert.Equal("DRV004", violation.Rule);
        Assert.Equal(nameof(ReadThatIsForgotten), violation.ReceivingCallback?.Name);
    }

    private static void CancelWithoutCompleting(WDFREQUEST Request)
    {
    }

    [Fact]
    public void A_cancel_routine_that_leaves_its_request_incomplete_is_named_for_DRV005()
    {
        using var host = new DriverHost
        {
            EvtIoDeviceControl = (queue, request, output, input, code) => WdfRequestMarkCancelable(request, CancelWithoutCompleting),
        };
        var result = host.DeviceIoControl(Ioctl, null, 0);
        result.Cancel();

        var violation = Assert.Single(host.Unload().Violations);

        Assert.Equal("DRV005", violation.Rule);
        Assert.Equal(nameof(CancelWithoutCompleting), violation.ReceivingCallback?.Name);
    }

    private static NTSTATUS DispatchThatPendsForever(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IoMarkIrpPending(Irp);
        return STATUS_PENDING;
    }

    [Fact]
    public void An_irp_never_completed_names_the_wdm_dispatch_routine_that_received_it()
    {
        using var host = new WdmDriverHost();
        host.MajorFunction[IRP_MJ_READ] = DispatchThatPendsForever;
        host.Read(4);

        var violation = Assert.Single(host.Unload().Violations);

        Assert.Equal("DRV004", violation.Rule);
        Assert.Equal(nameof(DispatchThatPendsForever), violation.ReceivingCallback?.Name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RetrieveAndKeep(WDFQUEUE queue) => WdfIoQueueRetrieveNextRequest(queue, out _);

    [Fact]
    public void A_request_taken_from_a_manual_queue_names_the_method_that_retrieved_it()
    {
        using var host = new DriverHost();
        var manual = host.AddQueue();
        host.EvtIoInCallerContext = (device, request) => WdfRequestForwardToIoQueue(request, manual);
        host.Read(4);
        host.Run(() => RetrieveAndKeep(manual));

        var violation = Assert.Single(host.Unload().Violations);

        Assert.Equal("DRV004", violation.Rule);
        Assert.Equal(nameof(RetrieveAndKeep), violation.ReceivingCallback?.Name);
    }
}
