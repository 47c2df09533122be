using DriverBuffers;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Surface;

public class ConstantsTests
{
    [Fact]
    public void Status_names_and_values_match_ntstatus_h()
    {
        Assert.Equal(unchecked((int)0xC0000023), STATUS_BUFFER_TOO_SMALL.Value);
        Assert.Equal("STATUS_BUFFER_TOO_SMALL", STATUS_BUFFER_TOO_SMALL.ToString());
        Assert.Equal("0x12345678", new NTSTATUS(0x12345678).ToString());
        Assert.True(NT_SUCCESS(STATUS_SUCCESS));
        Assert.True(NT_SUCCESS(STATUS_PENDING));
        Assert.False(NT_SUCCESS(STATUS_BUFFER_OVERFLOW));
        Assert.False(NT_SUCCESS(STATUS_UNSUCCESSFUL));
    }

    [Theory]
    [InlineData("STATUS_SHARING_VIOLATION", 0xC0000043u)]
    [InlineData("STATUS_NOT_FOUND", 0xC0000225u)]
    [InlineData("STATUS_ASSERTION_FAILURE", 0xC0000420u)]
    public void Statuses_the_ported_drivers_use_have_ntstatus_h_values(string name, uint value)
    {
        var status = (NTSTATUS)typeof(Wdm).GetField(name)!.GetValue(null)!;
        Assert.Equal(unchecked((int)value), status.Value);
        Assert.Equal(name, status.ToString());
        Assert.False(NT_SUCCESS(status));
    }

    [Fact]
    public void Pool_type_promotes_to_flags_like_a_c_enum()
    {
        ulong flags = NonPagedPoolNx;
        Assert.Equal(512UL, flags);
        Assert.Equal(new POOL_TYPE(24), POOL_RAISE_IF_ALLOCATION_FAILURE | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE);
    }

    [Fact]
    public void Null_converts_to_every_optional_parameter_kind()
    {
        WDFMEMORY memory = NULL;
        WDFREQUEST request = WDF_NO_HANDLE;
        WDF_OBJECT_ATTRIBUTES? attributes = NULL;
        long? offset = NULL;
        Assert.Equal(default, memory);
        Assert.Equal(default, request);
        Assert.Null(attributes);
        Assert.Null(offset);
        Assert.Equal("WDFMEMORY(NULL)", memory.ToString());
    }

    [Fact]
    public void Align_helpers_round_to_power_of_two()
    {
        Assert.Equal((nuint)16, WDF_ALIGN_SIZE_UP(9, 8));
        Assert.Equal((nuint)8, WDF_ALIGN_SIZE_DOWN(15, 8));
        Assert.Equal(-10_000L * 5, WDF_REL_TIMEOUT_IN_MS(5));
    }
}
