using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using DriverBuffers.Framework;
using DriverBuffers.IoManager;
using DriverBuffers.Synchronization;
using DriverBuffers.Verifier;

namespace DriverBuffers.Hosting;

/// <summary>
/// Hosts a whole driver, KMDF or WDM, the way the system runs it: <see cref="Load"/> calls its <c>DriverEntry</c>,
/// <see cref="AddDevice"/> gives it a device to attach to (KMDF: <c>EvtDriverDeviceAdd</c>), <see cref="Start"/>
/// starts that device (KMDF: <c>EvtDevicePrepareHardware</c>, <c>EvtDeviceD0Entry</c>, self-managed I/O init; WDM:
/// IRP_MN_START_DEVICE), the application side inherited from <see cref="DriverHostBase"/> sends I/O to the top
/// of the device stack, <see cref="Remove"/> removes the device (KMDF: <c>EvtIoStop</c>, <c>EvtDeviceD0Exit</c>,
/// <c>EvtDeviceReleaseHardware</c>; WDM: IRP_MN_REMOVE_DEVICE), and <see cref="DriverHostBase.Unload"/> calls
/// the unload routine and reports what was left behind.
/// </summary>
/// <remarks>
/// Below the driver's device sits a physical device object whose behaviour <see cref="LowerTarget"/> scripts
/// (a KMDF device's default I/O target sends there; a WDM driver passes IRPs there with <c>IoCallDriver</c>).
/// <see cref="AddNamedTarget"/> provides devices the driver opens by name. Timers, DPCs and work items run when
/// the test moves simulated time (<see cref="DriverHostBase.AdvanceTime"/>, <see cref="DriverHostBase.RunUntil"/>).
/// A legacy WDM driver that creates its device in <c>DriverEntry</c> (no AddDevice routine) needs no
/// <see cref="AddDevice"/> or <see cref="Start"/>: its first device receives the I/O.
/// Lifecycle calls run driver code on the calling thread at PASSIVE_LEVEL; a violation in it is thrown (the
/// verifier is on) or recorded. Call them from one thread; I/O may come from several.
/// </remarks>
/// <example>
/// <code>
/// using var host = new WholeDriverHost(EchoDriver.DriverEntry);
/// Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
/// var write = host.Write(new byte[] { 1, 2, 3 });
/// host.RunUntil(() =&gt; write.IsCompleted);          // the driver completes it from a timer
/// Assert.Equal(STATUS_SUCCESS, write.Status);
/// Assert.True(host.Unload().IsClean);
/// </code>
/// </example>
public sealed class WholeDriverHost : DriverHostBase
{
    private readonly object gate = new();
    private readonly List<IrpTracker> irps = new();
    private readonly DRIVER_INITIALIZE driverEntry;
    private readonly DEVICE_OBJECT physicalDevice;
    private bool loaded;

    /// <param name="driverEntry">The driver's <c>DriverEntry</c>.</param>
    /// <param name="verifierEnabled">Whether violations throw (they are recorded either way).</param>
    public WholeDriverHost(DRIVER_INITIALIZE driverEntry, bool verifierEnabled = true)
        : base(verifierEnabled)
    {
        this.driverEntry = driverEntry ?? throw new ArgumentNullException(nameof(driverEntry));
        LowerTarget = new SimulatedIoTarget(Runtime, "lower");
        physicalDevice = PhysicalDevice.Create(Runtime, LowerTarget);
    }

    /// <summary>A host for the driver in <paramref name="driverAssembly"/> (see <see cref="FindDriverEntry"/>).</summary>
    public static WholeDriverHost ForAssembly(Assembly driverAssembly, bool verifierEnabled = true) =>
        new(FindDriverEntry(driverAssembly), verifierEnabled);

    /// <summary>
    /// The driver's entry point: the one static method named <c>DriverEntry</c> taking (<see cref="DRIVER_OBJECT"/>,
    /// <see cref="UNICODE_STRING"/>) and returning <see cref="NTSTATUS"/>, public or not, in any type.
    /// </summary>
    /// <exception cref="ArgumentException">The assembly has no such method, or more than one.</exception>
    public static DRIVER_INITIALIZE FindDriverEntry(Assembly driverAssembly)
    {
        ArgumentNullException.ThrowIfNull(driverAssembly);
        const BindingFlags anyStatic = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        Type[] types;
        try
        {
            types = driverAssembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            types = partial.Types.Where(t => t is not null).ToArray()!;
        }
        var candidates = types
            .SelectMany(t => t.GetMethods(anyStatic))
            .Where(m => m.Name == "DriverEntry" && m.ReturnType == typeof(NTSTATUS)
                && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(new[] { typeof(DRIVER_OBJECT), typeof(UNICODE_STRING) }))
            .ToArray();
        return candidates.Length switch
        {
            1 => candidates[0].CreateDelegate<DRIVER_INITIALIZE>(),
            0 => throw new ArgumentException(
                $"{driverAssembly.GetName().Name} has no static NTSTATUS DriverEntry(DRIVER_OBJECT, UNICODE_STRING).", nameof(driverAssembly)),
            _ => throw new ArgumentException(
                $"{driverAssembly.GetName().Name} has several DriverEntry methods: " +
                string.Join(", ", candidates.Select(m => m.DeclaringType?.FullName + "." + m.Name)), nameof(driverAssembly)),
        };
    }

    /// <summary>The registry path <c>DriverEntry</c> receives (set before <see cref="Load"/>).</summary>
    public string RegistryPath { get; set; } = @"\Registry\Machine\System\CurrentControlSet\Services\SimulatedDriver";

    /// <summary>Where the driver is in its life.</summary>
    public DriverState State { get; private set; } = DriverState.NotLoaded;

    /// <summary>KMDF when <c>DriverEntry</c> called <c>WdfDriverCreate</c>, else WDM (known after <see cref="Load"/>).</summary>
    public DriverModel Model => State == DriverState.NotLoaded ? DriverModel.Unknown
        : Runtime.Driver.Created ? DriverModel.Kmdf : DriverModel.Wdm;

    /// <summary>The driver object <c>DriverEntry</c> received.</summary>
    public DRIVER_OBJECT DriverObject => Runtime.DriverObject;

    /// <summary>
    /// The device below the driver's device (the bus driver's physical device object): what a KMDF device's default
    /// I/O target reaches and where a WDM driver's <c>IoCallDriver</c> to its lower device lands. Script it as a
    /// test scripts <see cref="DriverHost.LowerTarget"/>.
    /// </summary>
    public SimulatedIoTarget LowerTarget { get; }

    /// <summary>The physical device object at the bottom of the stack.</summary>
    public DEVICE_OBJECT PhysicalDeviceObject => physicalDevice;

    /// <summary>The device the application's I/O reaches: the top of the device stack (null before the driver has a device).</summary>
    public DEVICE_OBJECT? TopDevice
    {
        get
        {
            var bottom = physicalDevice.AttachedDevice is not null ? physicalDevice
                : DriverObject.Devices.FirstOrDefault(d => d.Deleted is null);
            var top = bottom;
            while (top?.AttachedDevice is { } above)
            {
                top = above;
            }
            return top == physicalDevice ? null : top;
        }
    }

    /// <summary>The KMDF device the driver created (the null handle for a WDM driver or before <see cref="AddDevice"/>).</summary>
    public WDFDEVICE Device
    {
        get
        {
            var framework = DriverObject.Devices.Select(d => d.Framework).FirstOrDefault(f => f is { IsAlive: true });
            return new WDFDEVICE(framework);
        }
    }

    /// <summary>The device interfaces a KMDF driver registered (<c>WdfDeviceCreateDeviceInterface</c>).</summary>
    public IReadOnlyList<Guid> DeviceInterfaces => Device.Object?.Interfaces ?? Array.Empty<Guid>();

    /// <summary>Requests (or IRPs) the application sent that are not completed yet, by name ("WDFREQUEST#7", "IRP#9").</summary>
    public IReadOnlyList<string> OutstandingRequests
    {
        get { lock (gate) { return irps.Where(i => !i.IsCompleted).Select(i => i.OwnerName).ToArray(); } }
    }

    /// <summary>
    /// A device the driver can open by <paramref name="name"/> (<c>WDF_IO_TARGET_OPEN_PARAMS_INIT_OPEN_BY_NAME</c> and
    /// <c>WdfIoTargetOpen</c>), scripted like <see cref="LowerTarget"/>. Add it before the driver opens it.
    /// </summary>
    public SimulatedIoTarget AddNamedTarget(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var target = new SimulatedIoTarget(Runtime, name);
        Runtime.AddNamedTarget(name, target);
        return target;
    }

    /// <summary>
    /// Loads the driver: calls <c>DriverEntry(DriverObject, RegistryPath)</c> at PASSIVE_LEVEL. The registry path's
    /// buffer dies when it returns (DRV046 for later use); devices it created stop initializing. A failure status
    /// leaves the driver not loaded (its unload routine will not be called).
    /// </summary>
    public NTSTATUS Load()
    {
        Require(DriverState.NotLoaded, nameof(Load));
        var status = Run(() =>
        {
            var registryPath = Wdm.ConstantString(Runtime, RegistryPath, "buffer of RegistryPath");
            try
            {
                return ThreadIrql.RunCallback(Runtime, KIRQL.PASSIVE_LEVEL, "DriverEntry", () => driverEntry(DriverObject, registryPath));
            }
            finally
            {
                registryPath.EndLife(new EndReason(Rules.RegistryPathUsedAfterDriverEntry,
                    "the RegistryPath string belongs to the I/O manager and was freed when DriverEntry returned; keep a copy (RtlCopyUnicodeString), not the pointer"));
                foreach (var device in DriverObject.Devices)
                {
                    device.Flags &= ~Wdm.DO_DEVICE_INITIALIZING;
                }
            }
        });
        loaded = Wdm.NT_SUCCESS(status);
        State = loaded ? DriverState.Loaded : DriverState.Failed;
        return status;
    }

    /// <summary>
    /// Gives the driver its device: calls the AddDevice routine with the physical device object (KMDF's calls
    /// <c>EvtDriverDeviceAdd</c> with a <c>WDFDEVICE_INIT</c>). A driver without one (legacy WDM, non-PnP KMDF) gets
    /// STATUS_SUCCESS without a call.
    /// </summary>
    public NTSTATUS AddDevice()
    {
        Require(DriverState.Loaded, nameof(AddDevice));
        var status = Run(() => DriverObject.DriverExtension.AddDevice is { } add
            ? ThreadIrql.RunCallback(Runtime, KIRQL.PASSIVE_LEVEL, "AddDevice", () => add(DriverObject, physicalDevice))
            : Wdm.STATUS_SUCCESS);
        State = Wdm.NT_SUCCESS(status) ? DriverState.DeviceAdded : DriverState.Failed;
        return status;
    }

    /// <summary>Starts the device: sends IRP_MN_START_DEVICE down the stack and waits (simulated time runs) until it completes.</summary>
    public NTSTATUS Start()
    {
        Require(DriverState.DeviceAdded, nameof(Start));
        var status = PhysicalDeviceAttached ? SendPnp(Wdm.IRP_MN_START_DEVICE) : Wdm.STATUS_SUCCESS;
        State = Wdm.NT_SUCCESS(status) ? DriverState.Started : DriverState.Failed;
        return status;
    }

    /// <summary><see cref="Load"/>, <see cref="AddDevice"/> and <see cref="Start"/>, stopping at the first failure; its status.</summary>
    public NTSTATUS LoadAndStart()
    {
        var status = Load();
        if (Wdm.NT_SUCCESS(status))
        {
            status = AddDevice();
        }
        if (Wdm.NT_SUCCESS(status))
        {
            status = Start();
        }
        return status;
    }

    /// <summary>
    /// Powers a KMDF device down to D3 and leaves it there (as system sleep does): self-managed I/O suspends,
    /// <c>EvtIoStop</c> with the suspend action goes to every request the driver owns in a power-managed queue (the
    /// framework waits, on simulated time, until each is acknowledged or completed), then <c>EvtDeviceD0Exit</c>.
    /// Requests sent meanwhile wait in their queues. STATUS_NOT_SUPPORTED for a WDM driver (power IRPs are not simulated).
    /// </summary>
    public NTSTATUS Suspend()
    {
        Require(DriverState.Started, nameof(Suspend));
        if (Device.Object is not { } device)
        {
            return Wdm.STATUS_NOT_SUPPORTED;
        }
        var status = Run(() => Pnp.FrameworkPnp.PowerDown(device));
        State = DriverState.Suspended;
        return status;
    }

    /// <summary>Brings a suspended KMDF device back to D0: <c>EvtDeviceD0Entry</c>, <c>EvtIoResume</c> for acknowledged requests, waiting requests presented, self-managed I/O restarts.</summary>
    public NTSTATUS Resume()
    {
        Require(DriverState.Suspended, nameof(Resume));
        var status = Run(() => Pnp.FrameworkPnp.PowerUp(Device.Object!));
        State = Wdm.NT_SUCCESS(status) ? DriverState.Started : DriverState.Failed;
        return status;
    }

    /// <summary>
    /// Removes the device: sends IRP_MN_REMOVE_DEVICE down the stack (KMDF stops and purges the queues, calls
    /// <c>EvtIoStop</c> for requests the driver owns and waits on simulated time for them, then D0Exit, ReleaseHardware,
    /// and deletes the device). A legacy WDM driver's device stays until its unload routine deletes it.
    /// </summary>
    public NTSTATUS Remove()
    {
        if (State == DriverState.Suspended)
        {
            State = DriverState.Started;
        }
        Require(DriverState.Started, nameof(Remove));
        var status = PhysicalDeviceAttached ? SendPnp(Wdm.IRP_MN_REMOVE_DEVICE) : Wdm.STATUS_SUCCESS;
        State = DriverState.Removed;
        return status;
    }

    private bool PhysicalDeviceAttached => physicalDevice.AttachedDevice is not null;

    private NTSTATUS SendPnp(byte minorFunction)
    {
        var top = TopDevice;
        if (top is null)
        {
            return Wdm.STATUS_SUCCESS;
        }
        var irp = IrpBuilder.Build(Runtime, IoSubmission.Pnp(minorFunction), top.StackSize);
        irp.Irp.IoStatus.Status = Wdm.STATUS_NOT_SUPPORTED;
        return Run(() =>
        {
            if (top.DriverObject?.MajorFunction[Wdm.IRP_MJ_PNP] is null && top.HostDispatch is null)
            {
                return Wdm.STATUS_SUCCESS;
            }
            IrpDispatch.Call(top, irp.Irp, "the PnP manager");
            Runtime.WaitFor(() => irp.IsCompleted);
            return irp.IsCompleted ? irp.Result.Status : Wdm.STATUS_PENDING;
        });
    }

    private protected override TransferMethod ReadWriteMethod =>
        TopDevice is { } top ? IoSubmission.FromDeviceFlags(top.Flags) : TransferMethod.Buffered;

    private protected override IoResult Submit(IoSubmission submission)
    {
        if (State is not (DriverState.Started or DriverState.Suspended or DriverState.Loaded or DriverState.DeviceAdded) || TopDevice is not { } top)
        {
            throw new InvalidOperationException(
                $"The driver has no device to send I/O to (state {State}); call LoadAndStart() first.");
        }
        if (State is not (DriverState.Started or DriverState.Suspended) && PhysicalDeviceAttached)
        {
            throw new InvalidOperationException($"The device is not started (state {State}); call Start() first.");
        }
        var irp = IrpBuilder.Build(Runtime, submission, top.StackSize);
        lock (gate) { irps.Add(irp); }
        using (ApplicationScope.For(irp.Result))
        {
            IrpDispatch.Call(top, irp.Irp, "the I/O manager");
        }
        return irp.Result;
    }

    private protected override IReadOnlyList<WdfViolationException> ShutDown()
    {
        var raised = new List<WdfViolationException>();
        if (PhysicalDeviceAttached)
        {
            Catch(raised, () => SendPnp(Wdm.IRP_MN_REMOVE_DEVICE));
        }
        if (loaded && DriverObject.DriverUnload is { } unload)
        {
            Catch(raised, () => ThreadIrql.RunCallback(Runtime, KIRQL.PASSIVE_LEVEL, "DriverUnload", () => unload(DriverObject)));
        }
        if (Model == DriverModel.Wdm)
        {
            foreach (var device in DriverObject.Devices)
            {
                raised.Add(Runtime.Verifier.Record(Rules.DeviceObjectLeak, "DriverUnload", device.HandleName,
                    "the driver's device object was never deleted (IoDeleteDevice in the remove handler or the unload routine)"));
            }
        }
        State = DriverState.Unloaded;
        return raised;
    }

    private static void Catch(List<WdfViolationException> raised, Action step)
    {
        try
        {
            step();
        }
        catch (WdfViolationException violation)
        {
            raised.Add(violation);
        }
    }

    private protected override IEnumerable<WdfViolationException> FindUnfinishedWork()
    {
        IrpTracker[] open;
        lock (gate) { open = irps.Where(i => !i.IsCompleted).ToArray(); }
        foreach (var irp in open)
        {
            yield return UnfinishedWork.NeverCompleted(Runtime, irp);
        }
        foreach (var leak in UnfinishedWork.LookasideLeaks(Runtime))
        {
            yield return leak;
        }
    }

    private void Require(DriverState expected, string step)
    {
        if (IsUnloaded)
        {
            throw new InvalidOperationException("The driver was unloaded.");
        }
        if (State != expected)
        {
            throw new InvalidOperationException($"{step} needs the driver in state {expected}; it is {State}.");
        }
    }
}
