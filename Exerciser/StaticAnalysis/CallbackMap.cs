using System;
using System.Collections.Generic;
using System.Linq;
using DriverBuffers.Exercising.Generation;
using DriverBuffers.Exercising.Running;
using DriverBuffers.Exercising.Sources;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DriverBuffers.Exercising.StaticAnalysis;

/// <summary>
/// Which of the driver's methods receive each kind of request, read from its sources: the methods assigned to a queue
/// configuration's <c>EvtIoRead</c>, <c>EvtIoWrite</c>, <c>EvtIoDeviceControl</c>, <c>EvtIoInternalDeviceControl</c> or
/// <c>EvtIoDefault</c>, or to <c>MajorFunction[IRP_MJ_READ]</c>, <c>[IRP_MJ_WRITE]</c>, <c>[IRP_MJ_DEVICE_CONTROL]</c>,
/// <c>[IRP_MJ_INTERNAL_DEVICE_CONTROL]</c>. A request the driver never
/// completed is reported at these methods (the verifier finds it at unload, with no driver frame on the stack).
/// </summary>
internal static class CallbackMap
{
    private static readonly Dictionary<string, RequestKind[]> Targets = new(StringComparer.Ordinal)
    {
        ["EvtIoRead"] = [RequestKind.Read],
        ["EvtIoWrite"] = [RequestKind.Write],
        ["EvtIoDeviceControl"] = [RequestKind.DeviceControl],
        ["EvtIoInternalDeviceControl"] = [RequestKind.InternalDeviceControl],
        ["EvtIoDefault"] = [RequestKind.Read, RequestKind.Write, RequestKind.DeviceControl, RequestKind.InternalDeviceControl],
        ["IRP_MJ_READ"] = [RequestKind.Read],
        ["IRP_MJ_WRITE"] = [RequestKind.Write],
        ["IRP_MJ_DEVICE_CONTROL"] = [RequestKind.DeviceControl],
        ["IRP_MJ_INTERNAL_DEVICE_CONTROL"] = [RequestKind.InternalDeviceControl],
    };

    public static IReadOnlyDictionary<RequestKind, IReadOnlyList<DriverFrame>> Build(Compilation compilation)
    {
        var map = new Dictionary<RequestKind, List<DriverFrame>>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var assignment in tree.GetRoot().DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                string? slot = assignment.Left switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    ElementAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "MajorFunction" } } element
                        when element.ArgumentList.Arguments is [{ Expression: var index }] => Name(index),
                    _ => null,
                };
                if (slot is null || !Targets.TryGetValue(slot, out var kinds)
                    || model.GetSymbolInfo(assignment.Right).Symbol is not IMethodSymbol method
                    || Declaration(method) is not { } frame)
                {
                    continue;
                }
                foreach (var kind in kinds)
                {
                    if (!map.TryGetValue(kind, out var frames))
                    {
                        map[kind] = frames = new List<DriverFrame>();
                    }
                    if (!frames.Contains(frame))
                    {
                        frames.Add(frame);
                    }
                }
            }
        }
        return map.ToDictionary(e => e.Key, e => (IReadOnlyList<DriverFrame>)e.Value);
    }

    private static string? Name(ExpressionSyntax index) => index switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The method as a frame: placed on its name, spanning its declaration.</summary>
    private static DriverFrame? Declaration(IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax declaration)
        {
            return null;
        }
        var name = declaration.Identifier.GetLocation().GetLineSpan();
        var whole = declaration.GetLocation().GetLineSpan();
        return new DriverFrame(
            new SourceLocation(name.Path, name.StartLinePosition.Line + 1, name.StartLinePosition.Character + 1),
            $"{method.ContainingType.Name}.{method.Name}",
            whole.StartLinePosition.Line + 1,
            whole.EndLinePosition.Line + 1);
    }
}
