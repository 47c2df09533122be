using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;

using DriverBuffers.Analyzers.Analyses.Sizes;

namespace DriverBuffers.Analyzers.Analyses.Statuses;

/// <summary>A call whose NTSTATUS is owed a test: a checked copy (DRV021) or a retrieve (DRV022).</summary>
internal sealed class StatusCall : IEquatable<StatusCall>
{
    public StatusCall(IInvocationOperation invocation, TrackedLocation? status)
    {
        Ddi = invocation.TargetMethod.Name;
        Location = invocation.Syntax.GetLocation();
        Status = status;
    }

    private StatusCall(string ddi, Location location, TrackedLocation? status)
    {
        Ddi = ddi;
        Location = location;
        Status = status;
    }

    public string Ddi { get; }

    public Location Location { get; }

    /// <summary>The variable holding the call's status, or null once it was dropped or overwritten.</summary>
    public TrackedLocation? Status { get; }

    public StatusCall WithoutStatus() => new(Ddi, Location, null);

    public bool Equals(StatusCall? other) => other is not null && Location.Equals(other.Location) && Equals(Status, other.Status);

    public override bool Equals(object? obj) => Equals(obj as StatusCall);

    public override int GetHashCode() => Location.GetHashCode();
}
