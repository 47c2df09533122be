using System.Reflection;

namespace DriverBuffers.Framework;

/// <summary>Tells the driver's own methods from the runtime's (the framework's dispatch routines, the hosts' lambdas).</summary>
internal static class DriverCode
{
    /// <summary>True for a method outside this runtime's assembly.</summary>
    public static bool Is(MethodInfo method) => method.Module.Assembly != typeof(DriverCode).Assembly;
}
