using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using DriverBuffers.Analyzers.Engine;

namespace DriverBuffers.Analyzers.Catalog;

/// <summary>
/// The WDM types the I/O-mode rules look at (<c>IRP</c>, <c>IO_STACK_LOCATION</c>, <c>DEVICE_OBJECT</c>,
/// <c>WDF_REQUEST_SEND_OPTIONS</c>), resolved once per compilation next to <see cref="DriverApi"/>.
/// Members are matched by containing type and name, never by name alone.
/// </summary>
internal sealed class IoModeSymbols
{
    // Read from the API on first use (when a body is analyzed), not when an analyzer registers: the lookup loads Wdf's members.
    private readonly System.Lazy<uint> _synchronousSendFlag;

    private IoModeSymbols(DriverApi api)
    {
        Api = api;
        Irp = api.TypeOf("DriverBuffers.IRP");
        StackLocation = api.TypeOf("DriverBuffers.IO_STACK_LOCATION");
        StackParameters = api.TypeOf("DriverBuffers.IO_STACK_LOCATION+StackParameters");
        TransferParameters = api.TypeOf("DriverBuffers.IO_STACK_LOCATION+TransferParameters");
        DeviceObject = api.TypeOf("DriverBuffers.DEVICE_OBJECT");
        DeviceInit = api.TypeOf("DriverBuffers.WDFDEVICE_INIT");
        DriverObject = api.TypeOf("DriverBuffers.DRIVER_OBJECT");
        UnicodeString = api.TypeOf("DriverBuffers.UNICODE_STRING");
        SendOptions = api.TypeOf("DriverBuffers.WDF_REQUEST_SEND_OPTIONS");
        _synchronousSendFlag = new System.Lazy<uint>(() => ConstantOf(api.Wdf, "WDF_REQUEST_SEND_OPTION_SYNCHRONOUS") ?? 0x2);
    }

    private static uint? ConstantOf(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: uint value })
            {
                return value;
            }
        }

        return null;
    }

    public DriverApi Api { get; }

    public INamedTypeSymbol? Irp { get; }
    public INamedTypeSymbol? StackLocation { get; }
    public INamedTypeSymbol? StackParameters { get; }
    public INamedTypeSymbol? TransferParameters { get; }
    public INamedTypeSymbol? DeviceObject { get; }
    public INamedTypeSymbol? DeviceInit { get; }
    public INamedTypeSymbol? DriverObject { get; }
    public INamedTypeSymbol? UnicodeString { get; }

    /// <summary>
    /// The <c>RegistryPath</c> parameter when <paramref name="function"/> has <c>DriverEntry</c>'s shape
    /// (<c>DRIVER_INITIALIZE</c>: <c>NTSTATUS (DRIVER_OBJECT, UNICODE_STRING)</c>, a method, lambda or local function); else null.
    /// </summary>
    public IParameterSymbol? RegistryPathOf(IMethodSymbol? function) =>
        function is { Parameters.Length: 2 } &&
        DriverObject is not null && UnicodeString is not null &&
        SymbolEqualityComparer.Default.Equals(function.Parameters[0].Type, DriverObject) &&
        SymbolEqualityComparer.Default.Equals(function.Parameters[1].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), UnicodeString) &&
        SymbolEqualityComparer.Default.Equals(function.ReturnType, Api.NtStatus)
            ? function.Parameters[1]
            : null;
    public INamedTypeSymbol? SendOptions { get; }

    /// <summary>The value of <c>WDF_REQUEST_SEND_OPTION_SYNCHRONOUS</c>.</summary>
    public uint SynchronousSendFlag => _synchronousSendFlag.Value;

    /// <summary>The types of <paramref name="api"/>'s compilation (created once per compilation and kept with its session).</summary>
    public static IoModeSymbols Create(DriverApi api) => new(api);

    /// <summary>The types of the session's compilation, created once.</summary>
    public static IoModeSymbols For(AnalysisSession session) => session.Feature(s => new IoModeSymbols(s.Api));

    /// <summary>
    /// True for a framework DDI that uses a <c>WDFDEVICE_INIT</c> (the <c>WdfDeviceInit*</c>, <c>WdfFdoInit*</c>,
    /// <c>WdfPdoInit*</c> DDIs and <c>WdfDeviceCreate</c> itself), by its parameter's type; <paramref name="init"/> is that argument.
    /// </summary>
    public bool UsesDeviceInit(IInvocationOperation invocation, out IArgumentOperation? init)
    {
        init = null;
        if (DeviceInit is null || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, Api.Wdf))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, DeviceInit))
            {
                init = argument;
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="property"/> is <paramref name="name"/> declared by <paramref name="type"/>.</summary>
    public static bool IsProperty(IPropertySymbol? property, INamedTypeSymbol? type, string name) =>
        property is not null && type is not null && property.Name == name &&
        SymbolEqualityComparer.Default.Equals(property.ContainingType, type);

    /// <summary>The operation without implicit conversions, parentheses and <c>out var</c> declarations.</summary>
    public static IOperation Unwrap(IOperation operation) => OperationUnwrap.Unwrap(operation, implicitConversionsOnly: true)!;

    /// <summary>The local or parameter <paramref name="operation"/> names, or null.</summary>
    public static ISymbol? VariableOf(IOperation? operation)
    {
        if (operation is null)
        {
            return null;
        }

        return Unwrap(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
    }

    /// <summary>The argument bound to the parameter called <paramref name="name"/>, or null.</summary>
    public static IArgumentOperation? Argument(IInvocationOperation invocation, string name)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == name)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>The argument bound to the parameter at <paramref name="ordinal"/>, or null.</summary>
    public static IArgumentOperation? Argument(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>
    /// The boolean value a branch condition tests, without negations: <c>!x</c>, <c>x == false</c>,
    /// <c>x != true</c>, <c>true == x</c>, ... each flip <paramref name="whenTrue"/> as needed.
    /// </summary>
    public static IOperation BooleanTested(IOperation condition, ref bool whenTrue)
    {
        var value = Unwrap(condition);
        for (var i = 0; i < 8; i++)
        {
            if (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                whenTrue = !whenTrue;
                value = Unwrap(not.Operand);
                continue;
            }

            if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary &&
                binary.LeftOperand.Type?.SpecialType == SpecialType.System_Boolean)
            {
                var (other, constant) = Unwrap(binary.RightOperand).ConstantValue is { HasValue: true, Value: bool right }
                    ? (binary.LeftOperand, right)
                    : Unwrap(binary.LeftOperand).ConstantValue is { HasValue: true, Value: bool left }
                        ? (binary.RightOperand, left)
                        : (null, false);
                if (other is null)
                {
                    break;
                }

                // x == true and x != false test x; x == false and x != true test !x.
                if (constant != (binary.OperatorKind == BinaryOperatorKind.Equals))
                {
                    whenTrue = !whenTrue;
                }

                value = Unwrap(other);
                continue;
            }

            break;
        }

        return value;
    }
}
