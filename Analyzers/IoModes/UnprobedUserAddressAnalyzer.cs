using System.Collections.Generic;
using System.Collections.Immutable;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// DRV042: a neither-I/O user address (<c>Irp.UserBuffer</c>, <c>Parameters.DeviceIoControl.Type3InputBuffer</c>,
/// <c>WdfRequestRetrieveUnsafeUser*Buffer</c>, and the user virtual address <c>MmGetMdlVirtualAddress(Irp.MdlAddress)</c>) read,
/// written or copied on a path where it was not probed with <c>ProbeForRead/ProbeForWrite</c> inside a try
/// block, and touched inside a try/catch (the probe's or another), nor locked with <c>WdfRequestProbeAndLockUserBuffer*</c>.
/// Reported once per user address and method, at the first access.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnprobedUserAddressAnalyzer : DriverApiAnalyzer
{
    private const string NotProbed =
        "without probing it: call ProbeForRead/ProbeForWrite inside a try block that catches NtStatusException, or WdfRequestProbeAndLockUserBufferForRead/Write";

    /// <summary>The PVOID accessors that touch the memory a pointer points to.</summary>
    private static readonly string[] PointerAccessors = { "Read", "Write", "CopyFrom", "CopyTo" };

    /// <summary>DDIs that read or write through every PVOID they are given.</summary>
    private static readonly string[] TouchingWdmDdis =
    {
        "RtlCopyMemory", "RtlMoveMemory", "RtlZeroMemory", "RtlFillMemory", "RtlCompareMemory",
    };

    private static readonly string[] TouchingWdfDdis = { "WdfMemoryCopyFromBuffer", "WdfMemoryCopyToBuffer" };

    public UnprobedUserAddressAnalyzer()
        : base(Descriptors.UnprobedUserAddress)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api) =>
        IoModeAnalysis.RegisterMethodBodies(context, api, s => s.Irp is not null && s.Api.Pvoid is not null, AnalyzeBody);

    private static void AnalyzeBody(OperationAnalysisContext context, IoModeSymbols symbols)
    {
        if (!MentionsUserAddress(context.Operation, symbols))
        {
            return;
        }

        var reportedOrigins = new HashSet<object>();
        foreach (var (graph, function) in FunctionGraphs.All(context.GetControlFlowGraph(), context.ContainingSymbol as IMethodSymbol, context.CancellationToken))
        {
            var domain = new UserAddressDomain(graph, symbols, function);
            domain.Replay(
                (operation, state, block) =>
                {
                    if (operation is IInvocationOperation invocation)
                    {
                        CheckAccess(context, domain, symbols, invocation, state, block, reportedOrigins);
                    }
                },
                context.CancellationToken);
        }
    }

    private static bool MentionsUserAddress(IOperation body, IoModeSymbols symbols)
    {
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IPropertyReferenceOperation property
                    when IoModeSymbols.IsProperty(property.Property, symbols.Irp, UserAddressDomain.UserBuffer) ||
                         property.Property.Name == UserAddressDomain.Type3InputBuffer:
                    return true;
                case IInvocationOperation invocation:
                    if (symbols.Api.IsWdm(invocation.TargetMethod, UserAddressDomain.MmGetMdlVirtualAddress))
                    {
                        return true;
                    }

                    foreach (var name in UserAddressDomain.UnsafeRetrievers)
                    {
                        if (symbols.Api.IsWdf(invocation.TargetMethod, name))
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    private static void CheckAccess(
        OperationAnalysisContext context, UserAddressDomain domain, IoModeSymbols symbols,
        IInvocationOperation invocation, FactMap<UserAddressFact> state, BasicBlock? block, HashSet<object> reported)
    {
        var touched = TouchedAddresses(invocation, symbols.Api);
        if (touched.Count > 0)
        {
            var accessor = invocation.Instance is not null ? "PVOID." + invocation.TargetMethod.Name : invocation.TargetMethod.Name;
            foreach (var address in touched)
            {
                if (Check(context, domain, accessor, invocation, address, state, block, reported))
                {
                    return;
                }
            }

            return;
        }

        if (symbols.Api.IsDdi(invocation.TargetMethod))
        {
            return;
        }

        // A helper that touches a PVOID parameter (at the top level of its body, without probing) touches what it is given.
        foreach (var touch in symbols.Helpers.Get(invocation.TargetMethod, context.CancellationToken).Touches)
        {
            if (IoModeSymbols.Argument(invocation, touch.Key)?.Value is { } address &&
                Check(
                    context, domain,
                    $"{invocation.TargetMethod.Name} (through {Accessor(touch.Value)} at line {SourceLines.LineOf(touch.Value.Syntax)})",
                    invocation, address, state, block, reported))
            {
                return;
            }
        }
    }

    private static string Accessor(IOperation touch) =>
        touch is IInvocationOperation { Instance: not null } call ? "PVOID." + call.TargetMethod.Name
        : touch is IInvocationOperation ddi ? ddi.TargetMethod.Name
        : "an access";

    /// <summary>
    /// The user memory an invocation touches: the pointer of a <c>PVOID.Read/Write/CopyFrom/CopyTo</c>, every
    /// <c>PVOID</c> argument of <c>RtlCopyMemory</c>, <c>RtlMoveMemory</c>, <c>RtlZeroMemory</c>, <c>RtlFillMemory</c>,
    /// <c>RtlCompareMemory</c>, <c>WdfMemoryCopyFromBuffer</c> and <c>WdfMemoryCopyToBuffer</c>; empty for anything else.
    /// </summary>
    internal static List<IOperation> TouchedAddresses(IInvocationOperation invocation, DriverApi api)
    {
        var touched = new List<IOperation>();
        var method = invocation.TargetMethod;
        if (invocation.Instance is { } instance &&
            SymbolEqualityComparer.Default.Equals(method.ContainingType, api.Pvoid) && IsAccessor(method.Name))
        {
            touched.Add(instance);
            return touched;
        }

        if (!IsTouchingDdi(api, method))
        {
            return touched;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(parameter.Type, api.Pvoid))
            {
                touched.Add(argument.Value);
            }
        }

        return touched;
    }

    private static bool IsAccessor(string name)
    {
        foreach (var accessor in PointerAccessors)
        {
            if (name == accessor)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTouchingDdi(DriverApi api, IMethodSymbol method)
    {
        foreach (var name in TouchingWdmDdis)
        {
            if (api.IsWdm(method, name))
            {
                return true;
            }
        }

        foreach (var name in TouchingWdfDdis)
        {
            if (api.IsWdf(method, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Check(
        OperationAnalysisContext context, UserAddressDomain domain, string accessor, IInvocationOperation access,
        IOperation address, FactMap<UserAddressFact> state, BasicBlock? block, HashSet<object> reported)
    {
        if (domain.Evaluate(address, state) is not { } pointer)
        {
            return false;
        }

        var probe = state.Get(pointer.Origin) as Probed;
        if (probe is not null && probe.Covers(block))
        {
            return false;
        }

        if (!reported.Add(pointer.Origin))
        {
            return true;
        }

        var reason = probe switch
        {
            { Kind: ProbeKind.InTry } => $"outside any try/catch (it was probed by {Name(probe.Probe)} at line {SourceLines.LineOf(probe.Probe.Syntax)}); user memory can become invalid at any time, so touch it only inside a try block",
            { Kind: ProbeKind.WithoutTry } => $"after a {Name(probe.Probe)} (line {SourceLines.LineOf(probe.Probe.Syntax)}) that is not inside a try/catch; an invalid address raises an exception nothing catches",
            _ => NotProbed,
        };

        var additional = new List<Location> { pointer.Source.Syntax.GetLocation() };
        if (probe is not null)
        {
            additional.Add(probe.Probe.Syntax.GetLocation());
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.UnprobedUserAddress,
            access.Syntax.GetLocation(),
            additional,
            accessor,
            NameOf(address),
            pointer.SourceName,
            SourceLines.LineOf(pointer.Source.Syntax),
            reason));
        return true;
    }

    private static string Name(IOperation probe) =>
        probe is IInvocationOperation invocation ? invocation.TargetMethod.Name : "ProbeForRead/ProbeForWrite";

    private static string NameOf(IOperation address)
    {
        var text = IoModeSymbols.Unwrap(address).Syntax.ToString();
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
