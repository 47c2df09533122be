using System;
using DriverBuffers.Analyzers.Api;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// The registration every I/O-mode analyzer shares: method bodies of compilations that use the API. (Each
/// analyzer's <c>Initialize</c> still enables concurrent execution and skips generated code itself.)
/// </summary>
internal static class IoModeAnalysis
{
    /// <summary>
    /// In compilations that reference the API and whose symbols satisfy <paramref name="applies"/>, calls <paramref name="analyze"/> for every method and constructor
    /// body. Other compilations get no callback at all.
    /// </summary>
    public static void RegisterMethodBodies(
        AnalysisContext context,
        Func<IoModeSymbols, bool> applies,
        Action<OperationAnalysisContext, IoModeSymbols> analyze)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (DriverApi.TryGet(start.Compilation) is not { } api)
            {
                return;
            }

            var symbols = IoModeSymbols.Create(api);
            if (!applies(symbols))
            {
                return;
            }

            start.RegisterOperationAction(
                c => analyze(c, symbols),
                OperationKind.MethodBody, OperationKind.ConstructorBody);
        });
    }
}
