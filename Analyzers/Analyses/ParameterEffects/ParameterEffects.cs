using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.ParameterEffects;

/// <summary>
/// What a helper does, whenever it runs to its end, to what it is given: the parameters it frees (DRV040), the
/// <c>PVOID</c> parameters it reads or writes through without probing (DRV042), the <c>DEVICE_OBJECT</c> parameters
/// whose buffering flags it changes (DRV044). Each effect keeps the operation that has it (in the helper, or in a helper
/// it calls, down to the configured depth), for the message.
/// </summary>
internal sealed class ParameterEffects
{
    public static readonly ParameterEffects None = new(
        new Dictionary<int, IOperation>(), new Dictionary<int, (IOperation, string)>(), new Dictionary<int, IOperation>(),
        new Dictionary<int, IInvocationOperation>(), new Dictionary<int, IInvocationOperation>(), new Dictionary<int, IOperation>());

    public ParameterEffects(
        IReadOnlyDictionary<int, IOperation> frees,
        IReadOnlyDictionary<int, (IOperation Assignment, string Flags)> flagChanges,
        IReadOnlyDictionary<int, IOperation> touches,
        IReadOnlyDictionary<int, IInvocationOperation> sends,
        IReadOnlyDictionary<int, IInvocationOperation> deviceInitUses,
        IReadOnlyDictionary<int, IOperation> stores)
    {
        Stores = stores;
        DeviceInitUses = deviceInitUses;
        Frees = frees;
        FlagChanges = flagChanges;
        Touches = touches;
        Sends = sends;
    }

    /// <summary>
    /// Parameter ordinal → the <c>WdfRequestSend</c> with <c>WDF_NO_SEND_OPTIONS</c> (or NULL options) that may send that
    /// request asynchronously, on some path of the helper (DRV040: the request may be pending when the helper returns).
    /// </summary>
    public IReadOnlyDictionary<int, IInvocationOperation> Sends { get; }

    /// <summary>Parameter ordinal → the <c>WdfDeviceInit*</c> call on that <c>WDFDEVICE_INIT</c> (DRV044 after <c>WdfDeviceCreate</c>).</summary>
    public IReadOnlyDictionary<int, IInvocationOperation> DeviceInitUses { get; }

    /// <summary>
    /// Parameter ordinal → an assignment (on any path) that keeps that reference parameter, or a <c>Buffer</c> of it, in a
    /// field, a static or a member of another object (DRV046: what a helper keeps outlives the call).
    /// </summary>
    public IReadOnlyDictionary<int, IOperation> Stores { get; }

    /// <summary>Parameter ordinal → the <c>ExFreePool*</c> call that frees it.</summary>
    public IReadOnlyDictionary<int, IOperation> Frees { get; }

    /// <summary>Parameter ordinal → the assignment to its <c>Flags</c> naming DO_BUFFERED_IO/DO_DIRECT_IO, and those names.</summary>
    public IReadOnlyDictionary<int, (IOperation Assignment, string Flags)> FlagChanges { get; }

    /// <summary>
    /// Parameter ordinal → the access that reads or writes through that <c>PVOID</c> parameter, in a helper that
    /// probes nothing.
    /// </summary>
    public IReadOnlyDictionary<int, IOperation> Touches { get; }

    public bool IsEmpty => Frees.Count == 0 && FlagChanges.Count == 0 && Touches.Count == 0 && Sends.Count == 0 && DeviceInitUses.Count == 0 && Stores.Count == 0;
}
