using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Irql.PagedPoolAtDispatchAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Irql;

/// <summary>
/// DRV037 (issue 14): a queue's DISPATCH_LEVEL inherited across methods: from a device created in the method that passes
/// it to the queue's method (the WDK's <c>EvtDeviceAdd</c> → <c>QueueInitialize(device)</c>), or from the driver's
/// attributes in <c>DriverEntry</c>.
/// </summary>
public class Drv037QueueLevelTests
{
    private const string Advice = "this function runs above APC_LEVEL: remove PAGED_CODE() and keep it nonpageable, or do this work at PASSIVE_LEVEL (a work item)";

    /// <summary>The WDK's layout: Device.cs creates the device at DISPATCH_LEVEL, Queue.cs creates the default queue with its level unset.</summary>
    [Fact]
    public Task FlagsTheDefaultQueueOfADeviceCreatedAtDispatchLevelInAnotherMethodAndFile() => new Verify.Test
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
                            deviceAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
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
                        static NTSTATUS QueueInitialize(WDFDEVICE Device)
                        {
                            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                            queueConfig.EvtIoDefault = EvtIoDefault;
                            queueConfig.EvtIoStop = EvtIoStop;
                            var status = WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
                            if (!NT_SUCCESS(status))
                            {
                                return status;
                            }

                            WDF_IO_QUEUE_CONFIG_INIT(out var passiveConfig, WdfIoQueueDispatchSequential);
                            passiveConfig.EvtIoWrite = EvtIoWrite;
                            WDF_OBJECT_ATTRIBUTES_INIT(out var passiveAttributes);
                            passiveAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                            return WdfIoQueueCreate(Device, passiveConfig, passiveAttributes, out var passiveQueue);
                        }

                        static void EvtIoDefault(WDFQUEUE Queue, WDFREQUEST Request)
                        {
                            {|#0:PAGED_CODE()|};
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }

                        static void EvtIoStop(WDFQUEUE Queue, WDFREQUEST Request, uint ActionFlags)
                        {
                            {|#1:PAGED_CODE()|};
                            WdfRequestStopAcknowledge(Request, FALSE);
                        }

                        static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
                        {
                            PAGED_CODE();
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }
                    }
                    """),
            },
        },
        ExpectedDiagnostics =
        {
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "PAGED_CODE() is reached",
                "the queue callback 'EvtIoDefault' (of the queue created by WdfIoQueueCreate at line 8 on a device created by WdfDeviceCreate at line 8 of Device.cs with ExecutionLevel = WdfExecutionLevelDispatch)",
                Advice),
            Verify.Diagnostic().WithLocation(1).WithArguments(
                "PAGED_CODE() is reached",
                "the queue callback 'EvtIoStop' (of the queue created by WdfIoQueueCreate at line 8 on a device created by WdfDeviceCreate at line 8 of Device.cs with ExecutionLevel = WdfExecutionLevelDispatch)",
                Advice),
        },
    }.RunAsync();

    /// <summary>The driver's attributes in DriverEntry set DISPATCH_LEVEL: devices and queues that leave theirs unset inherit it.</summary>
    [Fact]
    public Task FlagsTheQueuesOfADriverCreatedAtDispatchLevel() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            private const uint Tag = 0x74736554;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.ExecutionLevel = WdfExecutionLevelDispatch;
                return WdfDriverCreate(DriverObject, RegistryPath, attributes, config, WDF_NO_HANDLE);
            }

            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                var status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var readConfig, WdfIoQueueDispatchParallel);
                readConfig.EvtIoRead = EvtIoRead;
                status = WdfIoQueueCreate(device, readConfig, WDF_NO_OBJECT_ATTRIBUTES, out var readQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                return QueueInitialize(device);
            }

            static NTSTATUS QueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;
                WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                queueAttributes.ExecutionLevel = WdfExecutionLevelInheritFromParent;
                return WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var queue);
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PVOID scratch = {|#0:ExAllocatePool2({|#1:POOL_FLAG_PAGED|}, 16, Tag)|};
                ExFreePoolWithTag(scratch, Tag);
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                {|#2:PAGED_CODE()|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "ExAllocatePool2 allocates paged pool (POOL_FLAG_PAGED)",
            "the queue callback 'EvtIoRead' (of the queue created by WdfIoQueueCreate at line 23 on a device created by WdfDeviceCreate at line 15, of a driver created by WdfDriverCreate at line 10 with ExecutionLevel = WdfExecutionLevelDispatch)",
            "allocate nonpaged pool (POOL_FLAG_NON_PAGED)"),
        Verify.Diagnostic().WithLocation(2).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'EvtIoDeviceControl' (of the queue created by WdfIoQueueCreate at line 38 on a device created by WdfDeviceCreate at line 15, of a driver created by WdfDriverCreate at line 10 with ExecutionLevel = WdfExecutionLevelDispatch)",
            Advice));

    /// <summary>
    /// The WDK's correct patterns stay silent: a dispatch-level driver whose device or queue sets WdfExecutionLevelPassive,
    /// a dispatch-level device whose queue method creates its queue at WdfExecutionLevelPassive, a device of the default
    /// level passed to the same queue method, and a method that takes the device in another parameter than the queue's.
    /// </summary>
    [Fact]
    public Task PassiveDevicesAndQueuesUnderADispatchLevelParentAreSilent() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                WDF_DRIVER_CONFIG_INIT(out var config, EvtDeviceAdd);
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.ExecutionLevel = WdfExecutionLevelDispatch;
                return WdfDriverCreate(DriverObject, RegistryPath, attributes, config, WDF_NO_HANDLE);
            }

            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                deviceAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                return QueueInitialize(WDF_NO_HANDLE_DEVICE(), device);
            }

            static NTSTATUS EvtOtherDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WDF_OBJECT_ATTRIBUTES_INIT(out var deviceAttributes);
                deviceAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
                var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                status = QueueInitialize(device, WDF_NO_HANDLE_DEVICE());
                return NT_SUCCESS(status) ? PassiveQueueInitialize(device) : status;
            }

            static WDFDEVICE WDF_NO_HANDLE_DEVICE() => default;

            static NTSTATUS QueueInitialize(WDFDEVICE Unused, WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;
                return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
            }

            static NTSTATUS PassiveQueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoRead = EvtIoRead;
                WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                queueAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                return WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var queue);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    /// <summary>Without any dispatch level in the driver, a device passed to a queue method gives its queues nothing (the WDK's usual driver).</summary>
    [Fact]
    public Task QueuesOfADefaultLevelDeviceCreatedInAnotherMethodAreSilent() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                var status = WdfDeviceCreate(ref DeviceInit, WDF_NO_OBJECT_ATTRIBUTES, out WDFDEVICE device);
                return NT_SUCCESS(status) ? QueueInitialize(device) : status;
            }

            static NTSTATUS QueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoDeviceControl = EvtIoDeviceControl;
                return WdfIoQueueCreate(Device, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    /// <summary>
    /// Issue 14: a queue's config and attributes filled by helpers (by value, <c>ref</c> or <c>out</c>) in another file; the
    /// file that creates the queues never names the dispatch level.
    /// </summary>
    [Fact]
    public Task FlagsQueuesWhoseConfigOrAttributesAreFilledByHelpers() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("/0/Queue.cs", """
                    static partial class Driver
                    {
                        static NTSTATUS ReadQueueInitialize(WDFDEVICE Device)
                        {
                            InitReadConfig(out var config);
                            WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                            UseDispatchLevel(attributes);
                            return WdfIoQueueCreate(Device, config, attributes, out var queue);
                        }

                        static NTSTATUS WriteQueueInitialize(WDFDEVICE Device)
                        {
                            WDF_IO_QUEUE_CONFIG_INIT(out var config, WdfIoQueueDispatchParallel);
                            ConfigureWrite(config);
                            MakeDispatchAttributes(out var attributes);
                            return WdfIoQueueCreate(Device, config, attributes, out var queue);
                        }

                        static NTSTATUS EvtDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
                        {
                            MakeDispatchAttributes(out var deviceAttributes);
                            var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE device);
                            return NT_SUCCESS(status) ? ControlQueueInitialize(device) : status;
                        }

                        static NTSTATUS ControlQueueInitialize(WDFDEVICE Device)
                        {
                            WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var config, WdfIoQueueDispatchSequential);
                            config.EvtIoDeviceControl = EvtIoDeviceControl;
                            return WdfIoQueueCreate(Device, config, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
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
                            {|#2:PAGED_CODE()|};
                            WdfRequestComplete(Request, STATUS_SUCCESS);
                        }
                    }
                    """),
                ("/0/Helpers.cs", """
                    static partial class Driver
                    {
                        static void InitReadConfig(out WDF_IO_QUEUE_CONFIG config)
                        {
                            WDF_IO_QUEUE_CONFIG_INIT(out config, WdfIoQueueDispatchParallel);
                            config.EvtIoRead = EvtIoRead;
                        }

                        static void ConfigureWrite(WDF_IO_QUEUE_CONFIG config) => config.EvtIoWrite = EvtIoWrite;

                        static void UseDispatchLevel(WDF_OBJECT_ATTRIBUTES attributes) => attributes.ExecutionLevel = WdfExecutionLevelDispatch;

                        static void MakeDispatchAttributes(out WDF_OBJECT_ATTRIBUTES attributes)
                        {
                            WDF_OBJECT_ATTRIBUTES_INIT(out attributes);
                            attributes.ExecutionLevel = WdfExecutionLevelDispatch;
                        }
                    }
                    """),
            },
        },
        ExpectedDiagnostics =
        {
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "PAGED_CODE() is reached",
                "the queue callback 'EvtIoRead' (of the queue created by WdfIoQueueCreate at line 8 with ExecutionLevel = WdfExecutionLevelDispatch)",
                Advice),
            Verify.Diagnostic().WithLocation(1).WithArguments(
                "PAGED_CODE() is reached",
                "the queue callback 'EvtIoWrite' (of the queue created by WdfIoQueueCreate at line 16 with ExecutionLevel = WdfExecutionLevelDispatch)",
                Advice),
            Verify.Diagnostic().WithLocation(2).WithArguments(
                "PAGED_CODE() is reached",
                "the queue callback 'EvtIoDeviceControl' (of the queue created by WdfIoQueueCreate at line 30 on a device created by WdfDeviceCreate at line 22 with ExecutionLevel = WdfExecutionLevelDispatch)",
                Advice),
        },
    }.RunAsync();

    /// <summary>
    /// Helpers that fill a queue's config for a passive queue, or set the dispatch level on attributes the queue does not
    /// use, leave its callbacks alone; two helpers that set different levels give no single level.
    /// </summary>
    [Fact]
    public Task QueuesWhoseHelpersSetAnotherLevelAreSilent() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            static NTSTATUS QueueInitialize(WDFDEVICE Device, WDFTIMER Timer)
            {
                InitReadConfig(out var config);
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                UsePassiveLevel(attributes);
                var status = WdfIoQueueCreate(Device, config, attributes, out var queue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var writeConfig, WdfIoQueueDispatchParallel);
                writeConfig.EvtIoWrite = EvtIoWrite;
                WDF_OBJECT_ATTRIBUTES_INIT(out var writeAttributes);
                WDF_OBJECT_ATTRIBUTES_INIT(out var otherAttributes);
                UseDispatchLevel(otherAttributes);
                status = WdfIoQueueCreate(Device, writeConfig, writeAttributes, out var writeQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var controlConfig, WdfIoQueueDispatchParallel);
                controlConfig.EvtIoDeviceControl = EvtIoDeviceControl;
                WDF_OBJECT_ATTRIBUTES_INIT(out var controlAttributes);
                UseDispatchLevel(controlAttributes);
                UsePassiveLevel(controlAttributes);
                return WdfIoQueueCreate(Device, controlConfig, controlAttributes, out var controlQueue);
            }

            static void InitReadConfig(out WDF_IO_QUEUE_CONFIG config)
            {
                WDF_IO_QUEUE_CONFIG_INIT(out config, WdfIoQueueDispatchParallel);
                config.EvtIoRead = EvtIoRead;
            }

            static void UseDispatchLevel(WDF_OBJECT_ATTRIBUTES attributes) => attributes.ExecutionLevel = WdfExecutionLevelDispatch;

            static void UsePassiveLevel(WDF_OBJECT_ATTRIBUTES attributes) => attributes.ExecutionLevel = WdfExecutionLevelPassive;

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }

            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """);

    /// <summary>
    /// Issue 14: a timer's or DPC's config filled in a helper (by <c>WDF_TIMER_CONFIG_INIT</c> there, or by setting
    /// <c>EvtTimerFunc</c>/<c>EvtDpcFunc</c>, also in an initializer) while the caller creates the object.
    /// </summary>
    [Fact]
    public Task FlagsTimerAndDpcCallbacksSetInHelperConfigs() => Verify.VerifyAnalyzerAsync("""
        public sealed class MY_CONFIG
        {
            public Action<WDFTIMER>? EvtTimerFunc { get; set; }
        }

        static class Driver
        {
            static NTSTATUS CreateTimers(WDFDEVICE Device)
            {
                InitPollTimer(out var pollConfig);
                WDF_OBJECT_ATTRIBUTES_INIT(out var attributes);
                attributes.ParentObject = Device;
                var status = WdfTimerCreate(pollConfig, attributes, out var pollTimer);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                var watchdogConfig = new WDF_TIMER_CONFIG { Period = 0 };
                SetWatchdog(watchdogConfig);
                status = WdfTimerCreate(watchdogConfig, attributes, out var watchdogTimer);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                var dpcConfig = new WDF_DPC_CONFIG { EvtDpcFunc = EvtDpc };
                var mine = new MY_CONFIG { EvtTimerFunc = NotATimer };
                return WdfDpcCreate(dpcConfig, attributes, out var dpc);
            }

            static void InitPollTimer(out WDF_TIMER_CONFIG config) => WDF_TIMER_CONFIG_INIT_PERIODIC(out config, EvtPollTimer, 100);

            static void SetWatchdog(WDF_TIMER_CONFIG config) => config.EvtTimerFunc = EvtWatchdogTimer;

            static void EvtPollTimer(WDFTIMER Timer)
            {
                {|#0:PAGED_CODE()|};
            }

            static void EvtWatchdogTimer(WDFTIMER Timer)
            {
                {|#1:PAGED_CODE()|};
            }

            static void EvtDpc(WDFDPC Dpc)
            {
                {|#2:PAGED_CODE()|};
            }

            static void NotATimer(WDFTIMER Timer)
            {
                PAGED_CODE();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "PAGED_CODE() is reached",
            "the timer callback 'EvtPollTimer' (registered by WDF_TIMER_CONFIG_INIT_PERIODIC at line 32)",
            Advice),
        Verify.Diagnostic().WithLocation(1).WithArguments(
            "PAGED_CODE() is reached",
            "the timer callback 'EvtWatchdogTimer' (registered by WDF_TIMER_CONFIG.EvtTimerFunc at line 34)",
            Advice),
        Verify.Diagnostic().WithLocation(2).WithArguments(
            "PAGED_CODE() is reached",
            "the DPC callback 'EvtDpc' (registered by WDF_DPC_CONFIG.EvtDpcFunc at line 27)",
            Advice));

    /// <summary>
    /// Issue 14: the default queue created on the device kept in its context (<c>pDevice.FxDevice</c>, the SpbTestTool
    /// shape) on a device created at DISPATCH_LEVEL.
    /// </summary>
    [Fact]
    public Task FlagsTheDefaultQueueOfADispatchLevelDeviceKeptInItsContext() => Verify.VerifyAnalyzerAsync("""
        public sealed class DEVICE_CONTEXT
        {
            public WDFDEVICE FxDevice;
        }

        static class Driver
        {
            static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            static NTSTATUS OnDeviceAdd(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit)
            {
                WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE<DEVICE_CONTEXT>(out var deviceAttributes);
                deviceAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
                var status = WdfDeviceCreate(ref DeviceInit, deviceAttributes, out WDFDEVICE fxDevice);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                var pDevice = GetDeviceContext(fxDevice);
                pDevice.FxDevice = fxDevice;
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                queueConfig.EvtIoDefault = OnTopLevelIoDefault;
                return WdfIoQueueCreate(pDevice.FxDevice, queueConfig, WDF_NO_OBJECT_ATTRIBUTES, out var queue);
            }

            static void OnTopLevelIoDefault(WDFQUEUE Queue, WDFREQUEST Request)
            {
                {|#0:PAGED_CODE()|};
                WdfRequestComplete(Request, STATUS_SUCCESS);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'OnTopLevelIoDefault' (of the queue created by WdfIoQueueCreate at line 24 on a device created by WdfDeviceCreate at line 14 with ExecutionLevel = WdfExecutionLevelDispatch)",
            Advice));

    /// <summary>
    /// One config and one attributes variable used for two queues (the WDK's habit): what is set before one is initialized
    /// again belongs to the first queue only. The passive default queue's callback stays silent, the dispatch queue's is
    /// flagged; attributes set to dispatch and initialized again leave the third queue at the default level.
    /// </summary>
    [Fact]
    public Task AConfigInitializedAgainGivesEachQueueOnlyItsOwnCallbacks() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            static NTSTATUS QueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG queueConfig;
                WDF_OBJECT_ATTRIBUTES queueAttributes;
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out queueConfig, WdfIoQueueDispatchParallel);
                queueConfig.EvtIoDefault = EvtIoDefault;
                WDF_OBJECT_ATTRIBUTES_INIT(out queueAttributes);
                queueAttributes.ExecutionLevel = WdfExecutionLevelPassive;
                var status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var defaultQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoRead = EvtIoRead;
                WDF_OBJECT_ATTRIBUTES_INIT(out queueAttributes);
                queueAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
                status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var readQueue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out queueConfig, WdfIoQueueDispatchSequential);
                queueConfig.EvtIoWrite = EvtIoWrite;
                WDF_OBJECT_ATTRIBUTES_INIT(out queueAttributes);
                return WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var writeQueue);
            }

            static void EvtIoDefault(WDFQUEUE Queue, WDFREQUEST Request)
            {
                PAGED_CODE();
                WdfRequestComplete(Request, STATUS_SUCCESS);
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
            "the queue callback 'EvtIoRead' (of the queue created by WdfIoQueueCreate at line 21 with ExecutionLevel = WdfExecutionLevelDispatch)",
            Advice));

    /// <summary>A lambda set as a dispatch-level queue's callback (in the creating method, or by a config helper) is its body at DISPATCH_LEVEL.</summary>
    [Fact]
    public Task FlagsLambdaCallbacksOfADispatchLevelQueue() => Verify.VerifyAnalyzerAsync("""
        static class Driver
        {
            static NTSTATUS QueueInitialize(WDFDEVICE Device)
            {
                WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(out var queueConfig, WdfIoQueueDispatchParallel);
                queueConfig.EvtIoDefault = (queue, request) =>
                {
                    {|#0:PAGED_CODE()|};
                    WdfRequestComplete(request, STATUS_SUCCESS);
                };
                InitWrite(queueConfig);
                WDF_OBJECT_ATTRIBUTES_INIT(out var queueAttributes);
                queueAttributes.ExecutionLevel = WdfExecutionLevelDispatch;
                var status = WdfIoQueueCreate(Device, queueConfig, queueAttributes, out var queue);
                if (!NT_SUCCESS(status))
                {
                    return status;
                }

                WDF_IO_QUEUE_CONFIG_INIT(out var passiveConfig, WdfIoQueueDispatchSequential);
                passiveConfig.EvtIoRead = (queue, request, length) =>
                {
                    PAGED_CODE();
                    WdfRequestComplete(request, STATUS_SUCCESS);
                };
                return WdfIoQueueCreate(Device, passiveConfig, WDF_NO_OBJECT_ATTRIBUTES, out var passiveQueue);
            }

            static void InitWrite(WDF_IO_QUEUE_CONFIG config)
            {
                config.EvtIoWrite = (queue, request, length) =>
                {
                    {|#1:PAGED_CODE()|};
                    WdfRequestComplete(request, STATUS_SUCCESS);
                };
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'lambda' (of the queue created by WdfIoQueueCreate at line 14 with ExecutionLevel = WdfExecutionLevelDispatch)",
            Advice),
        Verify.Diagnostic().WithLocation(1).WithArguments(
            "PAGED_CODE() is reached",
            "the queue callback 'lambda' (of the queue created by WdfIoQueueCreate at line 14 with ExecutionLevel = WdfExecutionLevelDispatch)",
            Advice));
}
