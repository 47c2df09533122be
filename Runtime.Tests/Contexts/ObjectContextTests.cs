using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Contexts;

/// <summary>Typed object contexts: allocated with the object, reachable while it lives, gone (DRV036) after it is deleted.</summary>
public class ObjectContextTests
{
    private sealed class MEMORY_CONTEXT
    {
        public int Value;
    }

    private sealed class EXTRA_CONTEXT
    {
        public string Name = "extra";
    }

    private static MEMORY_CONTEXT GetMemoryContext(WDFOBJECT o) => WdfObjectGetTypedContext<MEMORY_CONTEXT>(o);

    [Fact]
    public void An_object_created_with_a_context_type_gets_a_fresh_context_that_lives_with_it()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<MEMORY_CONTEXT>(out var attributes);
            WdfMemoryCreate(attributes, NonPagedPoolNx, Tags.Test, 8, out var first, NULL);
            WdfMemoryCreate(attributes, NonPagedPoolNx, Tags.Test, 8, out var second, NULL);

            GetMemoryContext(first).Value = 42;

            Assert.Equal(42, GetMemoryContext(first).Value);
            Assert.Equal(0, GetMemoryContext(second).Value);
            Assert.Same(GetMemoryContext(first), GetMemoryContext(first));
            WdfObjectDelete(first);
            var violation = Expect.Violation("DRV036", () => GetMemoryContext(first));
            Assert.Equal("WdfObjectGetTypedContext", violation.Ddi);
            WdfObjectDelete(second);
        });
    }

    [Fact]
    public void Asking_for_a_context_type_the_object_never_got_is_ContextNotAllocated()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, Tags.Test, 8, out var memory, NULL);
            Expect.Violation("ContextNotAllocated", () => GetMemoryContext(memory));
            Expect.Violation("DRV022", () => GetMemoryContext(WDF_NO_HANDLE));
            WdfObjectDelete(memory);
        });
    }

    [Fact]
    public void WdfObjectAllocateContext_adds_a_context_once_with_its_own_cleanup_callback()
    {
        using var host = new DriverHost();
        var cleanedUp = new System.Collections.Generic.List<string>();
        host.Run(() =>
        {
            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<MEMORY_CONTEXT>(out var attributes);
            attributes.EvtCleanupCallback = o => cleanedUp.Add($"memory {GetMemoryContext(o).Value}");
            WdfMemoryCreate(attributes, NonPagedPoolNx, Tags.Test, 8, out var memory, NULL);
            GetMemoryContext(memory).Value = 3;

            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<EXTRA_CONTEXT>(out var extra);
            extra.EvtCleanupCallback = o => cleanedUp.Add(WdfObjectGetTypedContext<EXTRA_CONTEXT>(o).Name);
            Assert.Equal(STATUS_SUCCESS, WdfObjectAllocateContext(memory, extra, out var context));
            Assert.Equal(STATUS_OBJECT_NAME_EXISTS, WdfObjectAllocateContext(memory, extra, out var again));
            Assert.Same(context, again);
            Assert.Same(context, WdfObjectGetTypedContext<EXTRA_CONTEXT>(memory));

            WDF_OBJECT_ATTRIBUTES_INIT(out var noType);
            Assert.Equal(STATUS_OBJECT_NAME_INVALID, WdfObjectAllocateContext(memory, noType, out _));
            extra.ParentObject = memory;
            Assert.Equal(STATUS_INVALID_PARAMETER, WdfObjectAllocateContext(memory, extra, out _));

            WdfObjectDelete(memory);
        });
        Assert.Equal(new[] { "memory 3", "extra" }, cleanedUp);
    }

    private sealed class BUFFER_CONTEXT
    {
        public PVOID Buffer;
    }

    [Fact]
    public void An_objects_destroy_callback_reaches_its_context_to_release_what_it_points_to_as_the_WDK_echo_sample_does()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<BUFFER_CONTEXT>(out var attributes);
            attributes.EvtDestroyCallback = o =>
            {
                var context = WdfObjectGetTypedContext<BUFFER_CONTEXT>(o);
                ExFreePoolWithTag(context.Buffer, Tags.Test);
                context.Buffer = NULL;
            };
            WdfMemoryCreate(attributes, NonPagedPoolNx, Tags.Test, 8, out var memory, NULL);
            WdfObjectGetTypedContext<BUFFER_CONTEXT>(memory).Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tags.Test);
            WdfObjectDelete(memory);
            Expect.Violation("DRV036", () => WdfObjectGetTypedContext<BUFFER_CONTEXT>(memory));
        });
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void A_generic_handle_casts_back_to_its_own_type_only()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            WDFOBJECT queue = host.Queue;
            Assert.Equal(host.Queue, (WDFQUEUE)queue);
            Assert.Equal(default, (WDFDEVICE)WDF_NO_HANDLE);
            var violation = Expect.Violation("WrongHandleType", () => _ = (WDFDEVICE)queue);
            Assert.StartsWith("WDFQUEUE#", violation.Handle);
        });
    }

    [Fact]
    public void Device_queue_and_request_contexts_of_a_whole_driver_are_reachable_in_its_callbacks()
    {
        var driver = new WholeDrivers.KmdfEchoDriver();
        using var host = new WholeDriverHost(driver.DriverEntry);
        host.LoadAndStart();
        WDFREQUEST seen = default;
        driver.OnRead = (queue, request, length) =>
        {
            seen = request;
            Assert.Equal(1, WdfObjectGetTypedContext<WholeDrivers.KmdfEchoDriver.REQUEST_CONTEXT>(request).Presented);
            Assert.Equal(NULL, WholeDrivers.KmdfEchoDriver.GetQueueContext(queue).Buffer);
            WdfRequestComplete(request, STATUS_SUCCESS);
        };

        Assert.Equal(STATUS_SUCCESS, host.Read(2).Status);
        Expect.Violation("DRV003", () => host.Run(() => WdfObjectGetTypedContext<WholeDrivers.KmdfEchoDriver.REQUEST_CONTEXT>(seen)));
    }
}
