using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Analyses.UserAddresses;

/// <summary>What is known, on every path, about neither-I/O user addresses.</summary>
internal abstract class UserAddressFact : System.IEquatable<UserAddressFact>
{
    public abstract bool Equals(UserAddressFact? other);

    public override bool Equals(object? obj) => obj is UserAddressFact other && Equals(other);

    public override int GetHashCode() => GetType().GetHashCode();
}

/// <summary>A variable that holds a user-mode address (or an offset into one) and where that address came from.</summary>
internal sealed class UserPointer : UserAddressFact
{
    public UserPointer(TrackedLocation origin, IOperation source, string sourceName)
    {
        Origin = origin;
        Source = source;
        SourceName = sourceName;
    }

    /// <summary>
    /// The location probes are recorded under: the member address (<c>Derived("UserBuffer", [irp])</c>) or the
    /// retrieving call (<see cref="TrackedLocation.ForOperation"/>).
    /// </summary>
    public TrackedLocation Origin { get; }

    public IOperation Source { get; }

    /// <summary>"Irp.UserBuffer" or the DDI that retrieved the address.</summary>
    public string SourceName { get; }

    public override bool Equals(UserAddressFact? other) =>
        other is UserPointer o && o.Origin.Equals(Origin) && ReferenceEquals(o.Source, Source);
}

/// <summary>How a user address was made safe to touch.</summary>
internal enum ProbeKind
{
    /// <summary>
    /// <c>WdfRequestProbeAndLockUserBuffer*</c> (the pages are locked; no exception to guard), or a branch where the
    /// IRP's <c>RequestorMode</c> is <c>KernelMode</c>.
    /// </summary>
    Locked,

    /// <summary><c>ProbeFor*</c> inside the try block of a try/catch: safe to touch inside a try/catch.</summary>
    InTry,

    /// <summary><c>ProbeFor*</c> outside any try/catch: a bad address raises an unhandled exception.</summary>
    WithoutTry,
}

/// <summary>An origin that was probed (keyed by the origin) on every path.</summary>
internal sealed class Probed : UserAddressFact
{
    public Probed(ProbeKind kind, ControlFlowRegion? tryRegion, IOperation probe)
    {
        Kind = kind;
        TryRegion = tryRegion;
        Probe = probe;
    }

    public ProbeKind Kind { get; }

    public ControlFlowRegion? TryRegion { get; }

    public IOperation Probe { get; }

    public override bool Equals(UserAddressFact? other) =>
        other is Probed o && o.Kind == Kind && ReferenceEquals(o.TryRegion, TryRegion) && ReferenceEquals(o.Probe, Probe);

    /// <summary>
    /// True when an access in <paramref name="block"/> is covered by this probe: the address was locked, or it was
    /// probed inside a try/catch and the access is inside a try/catch too (the probe's or another one: each touch
    /// of user memory must be guarded, as MSDN asks).
    /// </summary>
    public bool Covers(BasicBlock? block) =>
        Kind == ProbeKind.Locked ||
        (Kind == ProbeKind.InTry && UserAddressDomain.EnclosingTry(block) is not null);
}

/// <summary>A stack-location local that holds <c>IoGetCurrentIrpStackLocation(irp)</c> on every path.</summary>
internal sealed class StackLocationOf : UserAddressFact
{
    public StackLocationOf(ISymbol irp) => Irp = irp;

    public ISymbol Irp { get; }

    public override bool Equals(UserAddressFact? other) =>
        other is StackLocationOf o && SymbolEqualityComparer.Default.Equals(o.Irp, Irp);
}

/// <summary>
/// A value read from user memory (<c>PVOID.Read&lt;T&gt;</c> at a constant offset of a user address) that a branch tested,
/// on every path (DRV045: a second read of the same bytes after the check is a double fetch). Keyed by
/// <c>Derived("Fetch@offset:T", [origin])</c>; made only where a branch tests the value, so a method full of reads that
/// nothing tests keeps no fact per read (the state stays small inside a <c>try</c>, whose catch joins every state).
/// </summary>
internal sealed class Fetched : UserAddressFact
{
    public Fetched(IInvocationOperation read, bool isChecked)
    {
        Read = read;
        Checked = isChecked;
    }

    /// <summary>The first read.</summary>
    public IInvocationOperation Read { get; }

    /// <summary>True when a branch tested the value read, on every path since the read.</summary>
    public bool Checked { get; }

    public override bool Equals(UserAddressFact? other) =>
        other is Fetched o && ReferenceEquals(o.Read, Read) && o.Checked == Checked;
}

/// <summary>A local that holds a value read from user memory: the fetch's location and the read.</summary>
internal sealed class FetchedValue : UserAddressFact
{
    public FetchedValue(TrackedLocation fetch, IInvocationOperation read)
    {
        Fetch = fetch;
        Read = read;
    }

    public TrackedLocation Fetch { get; }

    public IInvocationOperation Read { get; }

    public override bool Equals(UserAddressFact? other) => other is FetchedValue o && o.Fetch.Equals(Fetch) && ReferenceEquals(o.Read, Read);
}

/// <summary>The lattice of user-address facts: what holds on every path; two probes join to the weaker.</summary>
internal sealed class UserAddressLattice : MustLattice<UserAddressFact>
{
    public static readonly UserAddressLattice Instance = new();

    protected override UserAddressFact? JoinDifferent(UserAddressFact left, UserAddressFact right)
    {
        switch (left)
        {
            case UserPointer l when right is UserPointer r && l.Origin.Equals(r.Origin):
                return l.Source.Syntax.SpanStart <= r.Source.Syntax.SpanStart ? l : r;
            case Probed l when right is Probed r:
                return JoinProbes(l, r);
            case Fetched l when right is Fetched r:
                // Read on both paths: the earlier read stands for both; checked only if checked on both.
                return new Fetched(l.Read.Syntax.SpanStart <= r.Read.Syntax.SpanStart ? l.Read : r.Read, l.Checked && r.Checked);
            default:
                return null;
        }
    }

    /// <summary>The weaker of two probes: what holds whichever path was taken.</summary>
    private static Probed JoinProbes(Probed left, Probed right)
    {
        if (left.Kind == ProbeKind.Locked)
        {
            return right;
        }

        if (right.Kind == ProbeKind.Locked)
        {
            return left;
        }

        if (left.Kind == ProbeKind.WithoutTry)
        {
            return left;
        }

        if (right.Kind == ProbeKind.WithoutTry)
        {
            return right;
        }

        // Both probed inside a try/catch: either serves (the access must be inside a try/catch in any case).
        return left.Probe.Syntax.SpanStart <= right.Probe.Syntax.SpanStart ? left : right;
    }
}
