using System.Linq;
using System.Reflection;
using Xunit;

namespace DriverBuffers.Runtime.Tests.Surface;

/// <summary>Driver code imports both Wdf and Wdm with <c>using static</c>: no name may exist in both.</summary>
public class ApiShapeTests
{
    private static string[] PublicStaticNames(System.Type type) =>
        type.GetMembers(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).Distinct().ToArray();

    [Fact]
    public void No_name_is_declared_by_both_Wdf_and_Wdm()
    {
        Assert.Empty(PublicStaticNames(typeof(Wdf)).Intersect(PublicStaticNames(typeof(Wdm))));
    }

    [Fact]
    public void Every_handle_is_a_readonly_struct()
    {
        var handles = new[] { typeof(WDFOBJECT), typeof(WDFDEVICE), typeof(WDFQUEUE), typeof(WDFREQUEST), typeof(WDFMEMORY),
            typeof(WDFIOTARGET), typeof(WDFLOOKASIDE), typeof(PMDL), typeof(PVOID), typeof(NTSTATUS) };
        Assert.All(handles, h =>
        {
            Assert.True(h.IsValueType);
            Assert.NotNull(h.GetCustomAttributes().FirstOrDefault(a => a.GetType().Name == "IsReadOnlyAttribute"));
        });
    }

    [Fact]
    public void Deprecated_allocators_are_not_marked_obsolete()
    {
        var deprecated = typeof(Wdm).GetMethods().Where(m => m.Name.StartsWith("ExAllocatePool") && !m.Name.EndsWith('2') && !m.Name.EndsWith('3'));
        Assert.NotEmpty(deprecated);
        Assert.All(deprecated, m => Assert.Null(m.GetCustomAttribute<System.ObsoleteAttribute>()));
    }
}
