using System;
using DriverBuffers.Analyzers.Catalog;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DriverBuffers.Analyzers.IoModes;

/// <summary>
/// The registration the I/O-mode analyzers share, inside <see cref="DriverApiAnalyzer.Register"/>: method and
/// constructor bodies, when the API's symbols the rule needs are there.
/// </summary>
internal static class IoModeAnalysis
{
    public static void RegisterMethodBodies(
        CompilationStartAnalysisContext context,
        DriverApi api,
        Func<IoModeSymbols, bool> applies,
        Action<OperationAnalysisContext, IoModeSymbols> analyze)
    {
        var symbols = IoModeSymbols.Create(api);
        if (!applies(symbols))
        {
            return;
        }

        context.RegisterOperationAction(
            c => analyze(c, symbols),
            OperationKind.MethodBody, OperationKind.ConstructorBody);
    }
}
