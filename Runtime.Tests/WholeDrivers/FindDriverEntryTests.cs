using System;
using System.Reflection;
using System.Reflection.Emit;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.WholeDrivers;

/// <summary>Finding a driver's DriverEntry in its assembly, as the exerciser loads a driver .dll.</summary>
public class FindDriverEntryTests
{
    /// <summary>
    /// An assembly with <paramref name="drivers"/> internal static classes, each holding
    /// <c>static NTSTATUS DriverEntry(DRIVER_OBJECT, UNICODE_STRING)</c> that returns STATUS_SUCCESS.
    /// </summary>
    private static Assembly DriverAssembly(int drivers = 1)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("EmittedDriver"), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("EmittedDriver");
        for (int i = 0; i < drivers; i++)
        {
            var type = module.DefineType($"EmittedDriver.Driver{i}", TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed);
            var entry = type.DefineMethod("DriverEntry", MethodAttributes.Static | MethodAttributes.Assembly,
                typeof(NTSTATUS), new[] { typeof(DRIVER_OBJECT), typeof(UNICODE_STRING) });
            var il = entry.GetILGenerator();
            il.Emit(OpCodes.Ldsfld, typeof(Wdm).GetField(nameof(STATUS_SUCCESS))!);
            il.Emit(OpCodes.Ret);
            type.CreateType();
        }
        return assembly;
    }

    [Fact]
    public void The_one_DriverEntry_of_an_assembly_is_found_even_when_not_public_and_the_driver_loads()
    {
        using var host = WholeDriverHost.ForAssembly(DriverAssembly());

        Assert.Equal(STATUS_SUCCESS, host.Load());
        Assert.Equal(DriverModel.Wdm, host.Model);
    }

    [Fact]
    public void An_assembly_without_a_DriverEntry_or_with_several_is_refused_with_a_clear_message()
    {
        var none = Assert.Throws<ArgumentException>(() => WholeDriverHost.FindDriverEntry(typeof(Wdf).Assembly));
        Assert.Contains("has no static NTSTATUS DriverEntry(DRIVER_OBJECT, UNICODE_STRING)", none.Message);

        var several = Assert.Throws<ArgumentException>(() => WholeDriverHost.FindDriverEntry(DriverAssembly(drivers: 2)));
        Assert.Contains("EmittedDriver.Driver0.DriverEntry, EmittedDriver.Driver1.DriverEntry", several.Message);
    }
}
