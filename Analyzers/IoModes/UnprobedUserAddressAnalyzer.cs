using System.Collections.Generic;
using DriverBuffers.Analyzers.Analyses.ParameterEffects;
using DriverBuffers.Analyzers.Analyses.UserAddresses;
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
/// A helper that touches what it is given without probing (followed <c>driverbuffers.helper_depth</c> levels) touches
/// it at the call. Reported once per user address and method, at the first access. An observer of the shared
/// <see cref="UserAddressAnalysis"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnprobedUserAddressAnalyzer : DriverApiAnalyzer
{
    private const string NotProbed =
        "without probing it: call ProbeForRead/ProbeForWrite inside a try block that catches NtStatusException, or WdfRequestProbeAndLockUserBufferForRead/Write";

    public UnprobedUserAddressAnalyzer()
        : base(Descriptors.UnprobedUserAddress)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext context, DriverApi api)
    {
        if (AnalysisSession.For(context.Compilation) is not { } session)
        {
            return;
        }

        var analysis = UserAddressAnalysis.For(session);
        if (!analysis.Applies)
        {
            return;
        }

        var effects = ParameterEffectSummaries.For(session);
        analysis.RegisterObserver(context, (block, result) =>
        {
            var reportedOrigins = new HashSet<TrackedLocation>();
            foreach (var function in result.Functions)
            {
                var domain = function.Domain;
                function.Replay(
                    (operation, state, basicBlock) =>
                    {
                        if (operation is IInvocationOperation invocation)
                        {
                            CheckAccess(block, analysis, effects, result.Options, domain, invocation, state, basicBlock, reportedOrigins);
                        }
                    },
                    block.CancellationToken);
            }
        });
    }

    private static void CheckAccess(
        OperationAnalysisContext context, UserAddressAnalysis analysis, ParameterEffectSummaries effects, EngineOptions options,
        UserAddressDomain domain, IInvocationOperation invocation, FactMap<UserAddressFact> state, BasicBlock? block,
        HashSet<TrackedLocation> reported)
    {
        var touched = UserMemoryAccess.TouchedAddresses(invocation, analysis.Catalog);
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

        if (analysis.Catalog.IsDdi(invocation.TargetMethod))
        {
            return;
        }

        // A helper that touches a PVOID parameter (at the top level of its body, without probing) touches what it is given.
        foreach (var touch in effects.Get(invocation.TargetMethod, options, context.CancellationToken).Touches)
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

    private static bool Check(
        OperationAnalysisContext context, UserAddressDomain domain, string accessor, IInvocationOperation access,
        IOperation address, FactMap<UserAddressFact> state, BasicBlock? block, HashSet<TrackedLocation> reported)
    {
        if (domain.Evaluate(address, state) is not { } pointer)
        {
            return false;
        }

        var probe = state.TryGetValue(pointer.Origin, out var fact) ? fact as Probed : null;
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
