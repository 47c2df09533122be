using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>
/// DRV037 (issue 14) and the framework's synchronization scope: a queue's or device's (or driver's)
/// <c>SynchronizationScope</c> of <c>WdfSynchronizationScopeDevice</c> or <c>WdfSynchronizationScopeQueue</c> at the default
/// execution level makes KMDF call the queue's I/O callbacks holding a spin lock, at DISPATCH_LEVEL; with
/// <c>WdfExecutionLevelPassive</c> the lock is a wait lock (PASSIVE_LEVEL), and <c>WdfSynchronizationScopeNone</c> takes none.
/// </summary>
public class Drv037SynchronizationScopeTests
{
    private const string Advice = "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)";
    private const string HelperAdvice = "call it at PASSIVE_LEVEL (a work item), or make it safe above APC_LEVEL";
    private const string NonPaged = "allocate nonpaged pool (POOL_FLAG_NON_PAGED)";

    /// <summary>
    /// The WDK's layout: Device.cs creates the device with device synchronization and leaves the level at the default;
    /// Queue.cs creates the default queue with no attributes. Its callback, and a helper it calls, are flagged.
    /// </summary>
    [Fact]
    public Task FlagsTheCallbacksOfAQueueUnderTheDevicesSynchronizationScope() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("/0/Device.cs", """
                    static partial class Driver
                    {
                        static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
                        {
                            WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                            deviceAttributes.SynchronizationScope = WdfSynchronizationScopeDevice;
                            var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                            if (!NT_SUCCESS(status))
                            {
                                return status;
                            }

                            return QueueInitialize(device);
                        }
                    }
                    """),
                ("/0/Queue.cs", """
                    static partial class Driver
                    {
                        private const uint Tag = 0x74736554;

                        static NTSTATUS QueueInitialize(WDFDEVICE Device)
                        {
                            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                            queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;
                            queueConfig.EvtIoRead = EvtIoRead;
                            return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
                        }

                        static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
                        {
                            {|#0:PAGED_CODE()|};
                            PVOID scratch = {|#1:ExAllocatePool2({|#2:POOL_FLAG_PAGED|}, 16, Tag)|};
                            ExFreePoolWithTag(scratch, Tag);
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }

                        static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                        {
                            {|#3:ReadSettings()|};
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }

                        static void ReadSettings() => PAGED_CODE();
                    }
                    """),
            },
        },
        ExpectedDiagnostics =
        {
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "PAGED_CODE() is reached",
                "the queue callback 'EvtIoDeviceControl' (of the queue created by WdfIoQueueCreate at line 10 on a device created by WdfDeviceCreate at line 7 of Device.cs with SynchronizationScope = WdfSynchronizationScopeDevice: the framework calls it holding the device's spin lock)",
                Advice),
            Verify.Diagnostic().WithLocation(1).WithLocation(2).WithArguments(
                "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
                "the queue callback 'EvtIoDeviceControl' (of the queue created by WdfIoQueueCreate at line 10 on a device created by WdfDeviceCreate at line 7 of Device.cs with SynchronizationScope = WdfSynchronizationScopeDevice: the framework calls it holding the device's spin lock)",
                NonPaged),
            Verify.Diagnostic().WithLocation(3).WithArguments(
                "'ReadSettings' reaches PAGED_CODE() (line 27)",
                "the queue callback 'EvtIoRead' (of the queue created by WdfIoQueueCreate at line 10 on a device created by WdfDeviceCreate at line 7 of Device.cs with SynchronizationScope = WdfSynchronizationScopeDevice: the framework calls it holding the device's spin lock)",
                HelperAdvice),
        },
    }.RunAsync();

    /// <summary>
    /// Queue synchronization set on the queue's own attributes (directly, in an object initializer, or by a helper the
    /// attributes are passed to), on a device of the default level; and device synchronization set on the driver's
    /// attributes, inherited by the device and its queue.
    /// </summary>
    [Fact]
    public Task FlagsQueuesWhoseOwnDriversOrHelpersScopeTakesASpinLock() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            private const uint Tag = 0x74736554;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.SynchronizationScope = WDF_SYNCHRONIZATION_SCOPE.WdfSynchronizationScopeDevice;
                return WdfDriverCreate(DriverObject, RegistryPath, attributes, config, WDF_NO_HANDLE);
            }

            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                var status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var readConfig, WdfIoQueueDispatchSequential);
                readConfig.EvtIoRead = EvtIoRead;
                WDF_OBJECT_ATTRIBUTES_INIT(out var readAttributes);
                readAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;
                status = WdfIoQueueCreate(device, readConfig, readAttributes, out var readQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var writeConfig, WdfIoQueueDispatchSequential);
                writeConfig.EvtIoWrite = EvtIoWrite;
                status = WdfIoQueueCreate(device, writeConfig, new WDF_OBJECT_ATTRIBUTES { SynchronizationScope = WdfSynchronizationScopeQueue }, out var writeQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var controlConfig, WdfIoQueueDispatchSequential);
                controlConfig.EvtIoDeviceControl = EvtIoDeviceControl;
                MakeSerializedAttributes(out var controlAttributes);
                status = WdfIoQueueCreate(device, controlConfig, controlAttributes, out var controlQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var defaultConfig, WdfIoQueueDispatchParallel);
                defaultConfig.EvtIoDefault = EvtIoDefault;
                return WdfIoQueueCreate(device, defaultConfig, WDF_NO_OBJECT_ATTRIBUTES, out var defaultQueue);
            }

            static void MakeSerializedAttributes(out WDF_OBJECT_ATTRIBUTES attributes)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
                attributes.SynchronizationScope = WdfSynchronizationScopeQueue;
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                {|#0:PAGED_CODE()|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                {|#1:PAGED_CODE()|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                PVOID scratch = {|#2:ExAllocatePool2({|#3:POOL_FLAG_PAGED|}, 16, Tag)|};
                ExFreePoolWithTag(scratch, Tag);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoDefault(WDFQUEUE Queue, WDFREQUEST Request)
            {
                {|#4:PAGED_CODE()|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'EvtIoRead' (of the queue created by WdfIoQueueCreate at line 25 with SynchronizationScope = WdfSynchronizationScopeQueue: the framework calls it holding the queue's spin lock)",
            Advice),
        Verify.Diagnostic().WithLocation(1).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'EvtIoWrite' (of the queue created by WdfIoQueueCreate at line 33 with SynchronizationScope = WdfSynchronizationScopeQueue: the framework calls it holding the queue's spin lock)",
            Advice),
        Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "the queue callback 'EvtIoDeviceControl' (of the queue created by WdfIoQueueCreate at line 42 with SynchronizationScope = WdfSynchronizationScopeQueue: the framework calls it holding the queue's spin lock)",
            NonPaged),
        Verify.Diagnostic().WithLocation(4).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'EvtIoDefault' (of the queue created by WdfIoQueueCreate at line 50 on a device created by WdfDeviceCreate at line 15, of a driver created by WdfDriverCreate at line 10 with SynchronizationScope = WdfSynchronizationScopeDevice: the framework calls it holding the device's spin lock)",
            Advice));

    /// <summary>
    /// The WDK's correct patterns stay silent: device synchronization with <c>WdfExecutionLevelPassive</c> (a wait lock);
    /// queue synchronization on a queue of a passive device created in another
    /// method; no scope at all; and <c>WdfSynchronizationScopeNone</c> on the queue overriding the device's scope.
    /// </summary>
    [Fact]
    public Task PassiveLevelsNoScopeAndScopeNoneAreSilent() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("/0/Device.cs", """
                    static partial class Driver
                    {
                        static NTSTATUS EvtPassiveDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
                        {
                            WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                            deviceAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                            deviceAttributes.SynchronizationScope = WdfSynchronizationScopeDevice;
                            var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                            return NT_SUCCESS(status) ? PassiveQueueInitialize(device) : status;
                        }

                        static NTSTATUS EvtWaitLockDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
                        {
                            WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                            deviceAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                            var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                            return NT_SUCCESS(status) ? QueueScopeInitialize(device) : status;
                        }

                        static NTSTATUS EvtUnserializedDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
                        {
                            var status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
                            if (!NT_SUCCESS(status))
                            {
                                return status;
                            }

                            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                            queueConfig.EvtIoDefault = EvtIoDefaultUnserialized;
                            return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
                        }

                        static NTSTATUS EvtScopeNoneDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
                        {
                            WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                            deviceAttributes.SynchronizationScope = WdfSynchronizationScopeDevice;
                            var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                            if (!NT_SUCCESS(status))
                            {
                                return status;
                            }

                            WDF_IO_QUEUE_CONFIG_INIT(out var queueConfig, WdfIoQueueDispatchParallel);
                            queueConfig.EvtIoDeviceControl = EvtIoDeviceControlUnserialized;
                            WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                            queueAttributes.SynchronizationScope = WdfSynchronizationScopeNone;
                            return WdfIoQueueCreate(device, queueConfig, queueAttributes, out var queue);
                        }
                    }
                    """),
                ("/0/Queue.cs", """
                    static partial class Driver
                    {
                        private const uint Tag = 0x74736554;

                        static NTSTATUS PassiveQueueInitialize(WDFDEVICE Device)
                        {
                            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                            queueConfig.EvtIoRead = EvtIoReadUnderWaitLock;
                            return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
                        }

                        static NTSTATUS QueueScopeInitialize(WDFDEVICE Device)
                        {
                            WDF_IO_QUEUE_CONFIG_INIT(out var queueConfig, WdfIoQueueDispatchSequential);
                            queueConfig.EvtIoWrite = EvtIoWriteUnderWaitLock;
                            WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                            queueAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;
                            return WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var queue);
                        }

                        static void EvtIoReadUnderWaitLock(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                        {
                            PAGED_CODE();
                            PVOID scratch = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                            ExFreePoolWithTag(scratch, Tag);
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }

                        static void EvtIoWriteUnderWaitLock(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                        {
                            PAGED_CODE();
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }

                        static void EvtIoDefaultUnserialized(WDFQUEUE Queue, WDFREQUEST Request)
                        {
                            PAGED_CODE();
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }

                        static void EvtIoDeviceControlUnserialized(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
                        {
                            PAGED_CODE();
                            PVOID scratch = ExAllocatePool2(POOL_FLAG_PAGED, 16, Tag);
                            ExFreePoolWithTag(scratch, Tag);
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }
                    }
                    """),
            },
        },
    }.RunAsync();

    /// <summary>The driver's attributes set <c>WdfExecutionLevelPassive</c>: a device with device synchronization inherits a wait lock.</summary>
    [Fact]
    public Task DeviceScopeUnderAPassiveDriverIsSilent() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.ExecutionLevel = WdfExecutionLevelPassive;
                return WdfDriverCreate(DriverObject, RegistryPath, attributes, config, WDF_NO_HANDLE);
            }

            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                deviceAttributes.SynchronizationScope = WdfSynchronizationScopeDevice;
                var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                queueConfig.EvtIoDefault = EvtIoDefault;
                return WdfIoQueueCreate(device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
            }

            static void EvtIoDefault(WDFQUEUE Queue, WDFREQUEST Request)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    /// <summary>
    /// A queue that sets queue synchronization and takes its level from a device the analysis does not find (passed on
    /// through a second helper) is not flagged: the device may be passive.
    /// </summary>
    [Fact]
    public Task AQueueScopeWithAnUnknownDeviceIsSilent() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                deviceAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                return NT_SUCCESS(status) ? Configure(device) : status;
            }

            static NTSTATUS Configure(WDFDEVICE Device) => QueueInitialize(Device);

            static NTSTATUS QueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT(out var queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoWrite = EvtIoWrite;
                WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                queueAttributes.SynchronizationScope = WdfSynchronizationScopeQueue;
                return WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var queue);
            }

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);
}
