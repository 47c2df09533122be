using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>DRV037: paged pool allocated or touched, or PAGED_CODE() reached, where the IRQL may be above APC_LEVEL.</summary>
public class Drv037PagedPoolAtDispatchTests
{
    /// <summary>
    /// A callback is known by its symbol among the registrations of its name: the local function registered in Reader,
    /// not Writer's method of the same name, which nothing registers.
    /// </summary>
    [Fact]
    public Task FlagsALocalFunctionRegisteredAsACompletionRoutineAndNotAnotherMethodOfItsName() => Verify.VerifyAnalyzerAsync("""
        class Reader
        {
            private const uint Tag = 0x74736554;

            static void Send(WDFREQUEST request, WDFIOTARGET target)
            {
                WdfRequestSetCompletionRoutine(request, OnCompletion, null);
                WdfRequestSend(request, target, WDF_NO_SEND_OPTIONS);

                void OnCompletion(WDFREQUEST r, WDFIOTARGET t, WDF_REQUEST_COMPLETION_PARAMS p, object? c)
                {
                    PVOID block = {|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 16, Tag)|};
                    ExFreePoolWithTag(block, Tag);
                }
            }
        }

        class Writer
        {
            private const uint Tag = 0x74736554;

            static void OnCompletion(WDFREQUEST r, WDFIOTARGET t, WDF_REQUEST_COMPLETION_PARAMS p, object? c)
            {
                PVOID block = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                ExFreePoolWithTag(block, Tag);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "the completion routine 'OnCompletion' (registered by WdfRequestSetCompletionRoutine at line 7)",
            "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"));

    [Fact]
    public Task FlagsPagedPoolAllocatedInATimerCallback() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS Create(WDFQUEUE queue)
            {
                WDF_TIMER_CONFIG_INIT_PERIODIC(out var config, EvtTimerFunc, 1000);
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.ParentObject = queue;
                return WdfTimerCreate(config, attributes, out var timer);
            }

            static void EvtTimerFunc(WDFTIMER Timer)
            {
                PVOID report = {|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 16, Tag)|};
                if (report != NULL)
                {
                    ExFreePoolWithTag(report, Tag);
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "the timer callback 'EvtTimerFunc' (registered by WDF_TIMER_CONFIG_INIT_PERIODIC at line 7)",
            "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"));

    [Fact]
    public Task FlagsPagedPoolKeptInADeviceExtensionAndReadInACompletionRoutine() => Verify.VerifyAnalyzerAsync("""
        public sealed class AUDIT_EXTENSION
        {
            public DEVICE_OBJECT LowerDevice = null!;
            public PVOID Counters;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static NTSTATUS AddDevice(AUDIT_EXTENSION extension)
            {
                extension.Counters = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                return extension.Counters == NULL ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
            }

            static NTSTATUS DispatchRead(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                var extension = (AUDIT_EXTENSION)DeviceObject.DeviceExtension!;
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, AuditCompletion, extension, TRUE, TRUE, TRUE);
                return IoCallDriver(extension.LowerDevice, Irp);
            }

            static NTSTATUS AuditCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
            {
                var extension = (AUDIT_EXTENSION)Context!;
                uint succeeded = {|#0:extension.Counters.Read<uint>(0)|};
                PVOID counters = extension.Counters;
                counters.Write<uint>(0, succeeded + 1); // the same block: one finding, at its first touch
                RtlZeroMemory(counters + 4, 4);
                return STATUS_CONTINUE_COMPLETION;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "'extension.Counters' is paged pool (allocated at line 13) and is read",
            "the completion routine 'AuditCompletion' (registered by IoSetCompletionRoutine at line 21)",
            "keep this memory in nonpaged pool (POOL_FLAG_NON_PAGED), or touch it at PASSIVE_LEVEL (a work item)"));

    [Fact]
    public Task FlagsACopyIntoPagedPoolUnderASpinLock() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Copy(WDFSPINLOCK Lock, PVOID source)
            {
                PVOID log = ExAllocatePool2(POOL_FLAG_PAGED, 64, Tag);
                WdfSpinLockAcquire(Lock);
                {|#0:RtlCopyMemory(log + 8, source, 8)|};
                WdfSpinLockRelease(Lock);
                RtlCopyMemory(log, source, 8);
                ExFreePoolWithTag(log, Tag);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "RtlCopyMemory touches 'log + 8', paged pool allocated at line 7,",
            "code under the spin lock acquired by WdfSpinLockAcquire at line 8",
            "keep this memory in nonpaged pool (POOL_FLAG_NON_PAGED), or touch it at PASSIVE_LEVEL (a work item)"));

    [Fact]
    public Task FlagsAHelperThatReachesPagedCodeFromACompletionRoutine() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Send(WDFREQUEST Request, WDFIOTARGET Target)
            {
                WdfRequestSetCompletionRoutine(Request, ReadComplete, WDF_NO_CONTEXT);
                WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);
            }

            static void ReadComplete(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context)
            {
                {|#0:Refresh()|};
                WdfRequestComplete(Request, Params.IoStatus.Status);
            }

            static void Refresh() => Read();

            static void Read()
            {
                PAGED_CODE();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "'Refresh' calls 'Read', which reaches PAGED_CODE() (line 19)",
            "the completion routine 'ReadComplete' (registered by WdfRequestSetCompletionRoutine at line 5)",
            "call it at PASSIVE_LEVEL (a work item), or make it safe above APC_LEVEL"));

    [Fact]
    public Task FlagsPagedCodeInADpcAndPagedPoolUnderASpinLock() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public WDFSPINLOCK Lock;
            public KSPIN_LOCK QueueLock;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Setup(WDFDEVICE device)
            {
                WDF_DPC_CONFIG_INIT(out var config, EvtDpc);
            }

            static void EvtDpc(WDFDPC Dpc)
            {
                {|#0:PAGED_CODE()|};
            }

            static void Locked(DEVICE_CONTEXT context, nuint size)
            {
                WdfSpinLockAcquire(context.Lock);
                {|#1:WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, {|#2:PagedPool|}, Tag, size, out var memory, out var buffer)|};
                WdfSpinLockRelease(context.Lock);

                KeAcquireSpinLock(context.QueueLock, out var irql);
                if (size == 0)
                {
                    KeReleaseSpinLock(context.QueueLock, irql);
                    return;
                }

                {|#3:Helper()|};
                KeReleaseSpinLock(context.QueueLock, irql);
                Helper();
            }

            static void Helper() => PAGED_CODE();
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "PAGED_CODE() is reached",
            "the DPC callback 'EvtDpc' (registered by WDF_DPC_CONFIG_INIT at line 13)",
            "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)"),
        Verify.Diagnostic().WithLocation(1).WithLocation(2).WithArguments(
            "WdfMemoryCreate allocates paged pool (PagedPool)",
            "code under the spin lock acquired by WdfSpinLockAcquire at line 23",
            "allocate nonpaged pool (NonPagedPoolNx)"),
        Verify.Diagnostic().WithLocation(3).WithArguments(
            "'Helper' reaches PAGED_CODE() (line 39)",
            "code under the spin lock acquired by KeAcquireSpinLock at line 27",
            "call it at PASSIVE_LEVEL (a work item), or make it safe above APC_LEVEL"));

    [Fact]
    public Task FlagsALambdaCompletionRoutine() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            static void Send(WDFREQUEST Request, WDFIOTARGET Target)
            {
                WdfRequestSetCompletionRoutine(Request, (request, target, parameters, context) =>
                {
                    var copy = {|#0:ExAllocatePoolZero({|#1:PagedPool|}, 8, Tag)|};
                    ExFreePoolWithTag(copy, Tag);
                    WdfRequestComplete(request, parameters.IoStatus.Status);
                }, WDF_NO_CONTEXT);
                var scratch = ExAllocatePoolZero(PagedPool, 8, Tag); // PASSIVE here: silent
                ExFreePoolWithTag(scratch, Tag);
                WdfRequestSend(Request, Target, WDF_NO_SEND_OPTIONS);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "ExAllocatePoolZero allocates paged pool (PagedPool)",
            "the completion routine 'lambda' (registered by WdfRequestSetCompletionRoutine at line 7)",
            "allocate nonpaged pool (NonPagedPoolNx)"));

    /// <summary>Issue 14: the I/O callbacks of a queue created with ExecutionLevel = WdfExecutionLevelDispatch may run at DISPATCH_LEVEL.</summary>
    [Fact]
    public Task FlagsPagedCodeInTheCallbacksOfAQueueCreatedAtDispatchLevel() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            static NTSTATUS QueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                queueConfig.EvtIoRead = EvtIoRead;
                WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                queueAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
                var status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var queue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var writeConfig, WdfIoQueueDispatchSequential);
                writeConfig.EvtIoWrite = EvtIoWrite;
                return WdfIoQueueCreate(Device, writeConfig, new WDF_OBJECT_ATTRIBUTES { ExecutionLevel = WDF_EXECUTION_LEVEL.WdfExecutionLevelDispatch }, out var writeQueue);
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PVOID scratch = {|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 16, Tag)|};
                ExFreePoolWithTag(scratch, Tag);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                {|#2:PAGED_CODE()|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "the queue callback 'EvtIoRead' (of the queue created by WdfIoQueueCreate at line 11 with ExecutionLevel = WdfExecutionLevelDispatch)",
            "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
        Verify.Diagnostic().WithLocation(2).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'EvtIoWrite' (of the queue created by WdfIoQueueCreate at line 19 with ExecutionLevel = WdfExecutionLevelDispatch)",
            "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)"));

    /// <summary>A queue whose level is unset or inherited takes the level of the device created in the same method; its own passive level wins.</summary>
    [Fact]
    public Task FlagsTheCallbacksOfAQueueOnADeviceCreatedAtDispatchLevel() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                deviceAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
                var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                queueConfig.EvtIoRead = EvtIoRead;
                status = WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var writeConfig, WdfIoQueueDispatchSequential);
                writeConfig.EvtIoWrite = EvtIoWrite;
                WDF_OBJECT_ATTRIBUTES_INIT(out var writeAttributes);
                writeAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                return WdfIoQueueCreate(device, writeConfig, writeAttributes, out var writeQueue);
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                {|#0:PAGED_CODE()|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'EvtIoRead' (of the queue created by WdfIoQueueCreate at line 15 on a device created by WdfDeviceCreate at line 7 with ExecutionLevel = WdfExecutionLevelDispatch)",
            "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)"));

    /// <summary>The WDK's pattern: a queue created at WdfExecutionLevelPassive (or at the default level) keeps PAGED_CODE in its callbacks; another queue's dispatch level is not theirs.</summary>
    [Fact]
    public Task CallbacksOfPassiveAndDefaultQueuesAreSilent() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            private const uint Tag = 0x74736554;

            static NTSTATUS QueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;
                WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                queueAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                var status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var queue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var readConfig, WdfIoQueueDispatchParallel);
                readConfig.EvtIoRead = EvtIoRead;
                status = WdfIoQueueCreate(Device, readConfig, WDF_NO_OBJECT_ATTRIBUTES, out var readQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var writeConfig, WdfIoQueueDispatchParallel);
                writeConfig.EvtIoWrite = EvtIoWrite;
                WDF_OBJECT_ATTRIBUTES_INIT(out var writeAttributes);
                writeAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
                return WdfIoQueueCreate(Device, writeConfig, writeAttributes, out var writeQueue);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                PAGED_CODE();
                PVOID scratch = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                ExFreePoolWithTag(scratch, Tag);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PVOID scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
                ExFreePoolWithTag(scratch, Tag);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    /// <summary>The WDK's correct patterns: paged pool and PAGED_CODE at PASSIVE_LEVEL, nonpaged pool at DISPATCH_LEVEL, the lock released first.</summary>
    [Fact]
    public Task CorrectPatternsAreSilent() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public WDFSPINLOCK Lock;
            public PVOID Config;
            public PVOID Counters;
        }

        class Driver
        {
            private const uint Tag = 0x74736554;

            static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                PAGED_CODE();
                WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out var attributes);
                var status = WdfDeviceCreate(ref DeviceInit, attributes, out var device);
                var context = GetDeviceContext(device);
                context.Config = ExAllocatePool2(POOL_FLAG_PAGED, 64, Tag);
                context.Counters = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, Tag);
                WDF_WORKITEM_CONFIG_INIT(out var workConfig, EvtWorkItem);
                WDF_TIMER_CONFIG_INIT(out var timerConfig, EvtTimer);
                return status;
            }

            static void EvtWorkItem(WDFWORKITEM WorkItem)
            {
                PAGED_CODE();
                var context = GetDeviceContext(WdfWorkItemGetParentObject(WorkItem));
                context.Config.Write<uint>(0, 1);
                var more = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
                ExFreePoolWithTag(more, Tag);
            }

            static void EvtTimer(WDFTIMER Timer)
            {
                var context = GetDeviceContext(WdfTimerGetParentObject(Timer));
                context.Counters.Write<uint>(0, 1);
                var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tag);
                ExFreePoolWithTag(block, Tag);
                NonPagedHelper(context);
            }

            static void NonPagedHelper(DEVICE_CONTEXT context) => context.Counters.Write<uint>(4, 2);

            static void Locked(DEVICE_CONTEXT context)
            {
                WdfSpinLockAcquire(context.Lock);
                context.Counters.Write<uint>(8, 3);
                WdfSpinLockRelease(context.Lock);
                var late = ExAllocatePool2(POOL_FLAG_PAGED, 8, Tag);
                ExFreePoolWithTag(late, Tag);
                PAGED_CODE();
            }
        }
        """);

    /// <summary>A helper is followed only as deep as driverbuffers.helper_depth (here 1: the callback's own callees).</summary>
    [Fact]
    public Task HelpersAreFollowedToTheConfiguredDepth() => new Verify.Test
    {
        TestCode = """
            class Driver
            {
                static void Setup() => WDF_DPC_CONFIG_INIT(out var config, EvtDpc);

                static void EvtDpc(WDFDPC Dpc)
                {
                    {|#0:Direct()|};
                    Indirect();
                }

                static void Direct() => PAGED_CODE();

                static void Indirect() => Direct();
            }
            """,
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = 1\n") } },
        ExpectedDiagnostics =
        {
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'Direct' reaches PAGED_CODE() (line 11)",
                "the DPC callback 'EvtDpc' (registered by WDF_DPC_CONFIG_INIT at line 3)",
                "call it at PASSIVE_LEVEL (a work item), or make it safe above APC_LEVEL"),
        },
    }.RunAsync();

    /// <summary>Recursion between helpers reached from a callback ends (the engine's cycle guard), and code being typed raises nothing.</summary>
    [Fact]
    public Task RecursiveHelpersAndBrokenCodeAreSafe() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static void Setup() => WDF_DPC_CONFIG_INIT(out var config, EvtDpc);

            static void EvtDpc(WDFDPC Dpc)
            {
                {|#0:Ping(3)|};
            }

            static void Ping(int n) { if (n > 0) Pong(n - 1); }

            static void Pong(int n) { if (n > 0) Ping(n - 1); else PAGED_CODE(); }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "'Ping' calls 'Pong', which reaches PAGED_CODE() (line 12)",
            "the DPC callback 'EvtDpc' (registered by WDF_DPC_CONFIG_INIT at line 3)",
            "call it at PASSIVE_LEVEL (a work item), or make it safe above APC_LEVEL"));
}
