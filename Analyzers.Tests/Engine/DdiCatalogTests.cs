using System.Linq;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using DriverBuffers.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>The one DDI catalog: roles by symbol, resolved once per compilation; a look-alike method of the driver has none.</summary>
public class DdiCatalogTests
{
    private const string Source = """
        class DEVICE_CONTEXT { public int Count; }
        class Driver
        {
            static void WdfRequestComplete(WDFREQUEST request, NTSTATUS status) { }
            static DEVICE_CONTEXT NotAnAccessor(WDFOBJECT o) => new DEVICE_CONTEXT();
            static DEVICE_CONTEXT GetDeviceContext(WDFOBJECT o) => WdfObjectGetTypedContext<DEVICE_CONTEXT>(o);

            void M(WDFDEVICE device, WDFREQUEST request)
            {
                Wdf.WdfRequestComplete(request, STATUS_SUCCESS);
                WdfRequestComplete(request, STATUS_SUCCESS);
                WdfRequestRetrieveOutputBuffer(request, 4, out PVOID buffer, out nuint size);
                var b = NotAnAccessor(device);
                var c = GetDeviceContext(device);
                var d = WdfObjectGetTypedContext<DEVICE_CONTEXT>(device);
            }
        }
        """;

    [Fact]
    public void RolesAreResolvedBySymbol()
    {
        var (catalog, calls) = Calls();

        Assert.True(catalog.Has(calls[0].TargetMethod, DdiRole.CompletesRequest));
        Assert.Equal(DdiRole.None, catalog.RolesOf(calls[1].TargetMethod));
        Assert.False(catalog.IsDdi(calls[1].TargetMethod));
        Assert.True(catalog.Has(calls[2].TargetMethod, DdiRole.RetrievesFromRequest));
        Assert.True(catalog.TouchesRequests(calls[2].TargetMethod));
        Assert.False(catalog.TouchesRequests(calls[1].TargetMethod));
        Assert.True(catalog.MayTouchRequests("WdfRequestRetrieveOutputBuffer"));
        Assert.False(catalog.MayTouchRequests("RtlCopyMemory"));
    }

    [Fact]
    public void TheSymbolsAreLoadedOnTheFirstQuestionBySymbol_AndOnlyOnce()
    {
        using var capture = EngineTelemetry.Capture(out var telemetry);
        var (catalog, calls) = Calls();

        // A name that is no member of the API is answered from the API's member names: nothing is loaded.
        Assert.False(catalog.MayTouchRequests("Select"));
        Assert.False(catalog.IsBuilt);
        Assert.Equal(0, telemetry.CatalogsBuilt);

        Assert.True(catalog.Has(calls[0].TargetMethod, DdiRole.CompletesRequest));
        Assert.True(catalog.MayTouchRequests("WdfRequestComplete"));
        Assert.True(catalog.IsBuilt);
        Assert.Equal(1, telemetry.CatalogsBuilt);
    }

    [Fact]
    public void ContextAccessorsAreRecognized()
    {
        var (catalog, calls) = Calls();

        Assert.Null(catalog.ContextTypeOf(calls[3]));
        Assert.Equal("DEVICE_CONTEXT", catalog.ContextTypeOf(calls[4])?.Name);
        Assert.Equal("DEVICE_CONTEXT", catalog.ContextTypeOf(calls[5])?.Name);
    }

    [Fact]
    public void EveryRequestRoleNamesADdiOfTheApi()
    {
        var (catalog, _) = Calls();
        var api = catalog.Api;
        var missing = DdiNames.Roles
            .Where(pair => (pair.Value & DdiRole.RequestLifetime) != 0)
            .Select(pair => pair.Key)
            .Where(name => api.Wdf.GetMembers(name).IsEmpty && api.Wdm.GetMembers(name).IsEmpty)
            .ToList();

        Assert.Empty(missing);
    }

    private static (DdiCatalog Catalog, IInvocationOperation[] Calls) Calls()
    {
        var compilation = AnalyzerHarness.Compile(new[] { ("/0/Catalog.cs", Source) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "M");
        var calls = method.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => i.Parent is not ArgumentSyntax)
            .Select(i => (IInvocationOperation)model.GetOperation(i)!)
            .ToArray();
        return (AnalysisSession.For(compilation)!.Catalog, calls);
    }
}
