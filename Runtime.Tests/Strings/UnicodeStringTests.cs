using DriverBuffers.Hosting;
using DriverBuffers.Runtime.Tests.TestSupport;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Strings;

/// <summary>UNICODE_STRING: initialising, copying into driver memory, and DriverEntry's RegistryPath dying when it returns (DRV046).</summary>
public class UnicodeStringTests
{
    [Fact]
    public void RtlInitUnicodeString_counts_bytes_and_RtlCopyUnicodeString_copies_what_fits_and_terminates()
    {
        using var host = new DriverHost();
        host.Run(() =>
        {
            RtlInitUnicodeString(out var source, "Echo");
            Assert.Equal(8, source.Length);
            Assert.Equal(10, source.MaximumLength);
            Assert.Equal('E', source.Buffer.Read<char>(0));
            Assert.Equal("Echo", source.ToString());

            var copy = new UNICODE_STRING { Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 6, Tags.Test), MaximumLength = 6 };
            RtlCopyUnicodeString(copy, source);
            Assert.Equal(6, copy.Length);
            Assert.Equal("Ech", copy.ToString());
            RtlCopyUnicodeString(copy, null);
            Assert.Equal(0, copy.Length);
            ExFreePoolWithTag(copy.Buffer, Tags.Test);

            RtlInitUnicodeString(out var empty, (string?)null);
            Assert.Equal(NULL, empty.Buffer);
            Assert.Equal(0, empty.MaximumLength);
            RtlInitUnicodeString(out var fromMemory, source.Buffer);
            Assert.Equal(8, fromMemory.Length);
            Expect.Violation("RequiredParameterIsNull", () => RtlCopyUnicodeString(null!, source));
        });
    }

    [Fact]
    public void Keeping_RegistryPath_past_DriverEntry_is_DRV046_and_a_copy_made_in_DriverEntry_stays_valid()
    {
        UNICODE_STRING? kept = null;
        PVOID keptBuffer = NULL;
        var copy = new UNICODE_STRING();
        using var host = new WholeDriverHost((driverObject, registryPath) =>
        {
            kept = registryPath;
            keptBuffer = registryPath.Buffer;
            copy.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, (nuint)registryPath.Length + 2, Tags.Test);
            copy.MaximumLength = (ushort)(registryPath.Length + 2);
            RtlCopyUnicodeString(copy, registryPath);
            driverObject.DriverUnload = d => ExFreePoolWithTag(copy.Buffer, Tags.Test);
            return STATUS_SUCCESS;
        }) { RegistryPath = @"\Registry\Machine\System\CurrentControlSet\Services\Echo" };

        host.Load();

        Assert.Equal(@"\Registry\Machine\System\CurrentControlSet\Services\Echo", copy.ToString());
        Assert.Equal("UNICODE_STRING.Buffer", Expect.Violation("DRV046", () => _ = kept!.Buffer).Ddi);
        Assert.Equal("PVOID.Read", Expect.Violation("DRV046", () => host.Run(() => keptBuffer.Read<char>(0))).Ddi);
        Assert.Equal("UNICODE_STRING.Length", Expect.Violation("DRV046", () => host.Run(() => RtlCopyUnicodeString(copy, kept))).Ddi);
        Assert.Equal("(freed)", kept!.ToString());
    }
}
