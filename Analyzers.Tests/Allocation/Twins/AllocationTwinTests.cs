using System;
using System.Linq;
using System.Threading.Tasks;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.CodeFixes.Allocation;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Allocation.Twins;

/// <summary>
/// Run-time twins: each buggy driver file of this folder is flagged by its rule, its code fix (where there is
/// one) turns it into the fixed file of the same folder, and both run in the runtime host: the buggy one
/// shows the bug (stale bytes reach the application, or the verifier raises the same rule), the fixed one
/// runs clean.
/// </summary>
public class AllocationTwinTests
{
    private static readonly byte[] Request16 = new byte[16];

    // DRV030: stale pool bytes reach the application through a deprecated allocation, and not after the fix.

    [Fact]
    public Task Drv030FlagsTheTwinAndTheFixWritesTheFixedTwin() =>
        new CSharpCodeFixVerifier<DriverBuffers.Analyzers.Allocation.DeprecatedPoolAllocationAnalyzer, DeprecatedPoolAllocationCodeFix>.Test
        {
            TestCode = TwinSource.Mark(TwinSource.Read("ReplyDriver.Buggy.cs"), "ExAllocatePoolWithTag(NonPagedPoolNx, length, Tag)"),
            IncludeDriverUsings = false,
            FixedCode = TwinSource.AsBuggy(TwinSource.Read("ReplyDriver.Fixed.cs")),
        }.RunAsync();

    [Fact]
    public void Drv030StaleBytesReachTheApplication()
    {
        using var host = new DriverHost();
        host.EvtIoRead = Buggy.ReplyDriver.EvtIoRead;

        var result = host.Read(Request16.Length);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(1u, BitConverter.ToUInt32(result.UserBuffer, 0));
        Assert.All(result.UserBuffer.Skip(4), b => Assert.NotEqual(0, b));
        Assert.Empty(host.Violations);
    }

    [Fact]
    public void Drv030FixedTwinReturnsZeroes()
    {
        using var host = new DriverHost();
        host.EvtIoRead = Fixed.ReplyDriver.EvtIoRead;

        var result = host.Read(Request16.Length);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(1u, BitConverter.ToUInt32(result.UserBuffer, 0));
        Assert.All(result.UserBuffer.Skip(4), b => Assert.Equal(0, b));
        Assert.Empty(host.Violations);
        Assert.Empty(host.Unload().Violations);
    }

    // DRV032: the obsolete mapping returns NULL when mapping space runs out, and the driver writes through it.

    [Fact]
    public Task Drv032FlagsTheTwinAndTheFixWritesTheFixedTwin() =>
        new CSharpCodeFixVerifier<DriverBuffers.Analyzers.Allocation.ObsoleteMdlMappingAnalyzer, ObsoleteMdlMappingCodeFix>.Test
        {
            TestCode = TwinSource.Mark(TwinSource.Read("MappingDriver.Buggy.cs"), "MmGetSystemAddressForMdl(mdl)"),
            IncludeDriverUsings = false,
            FixedCode = TwinSource.AsBuggy(TwinSource.Read("MappingDriver.Fixed.cs")),
        }.RunAsync();

    [Fact]
    public void Drv032UncheckedMappingFailureIsANullPointerWrite()
    {
        using var host = new DriverHost(WdfDeviceIoDirect);
        host.EvtIoRead = Buggy.MappingDriver.EvtIoRead;
        host.Pool.FailNextMdlMappings(1);

        var violation = Assert.Throws<WdfViolationException>(() => host.Read(16));

        Assert.Equal("DRV022", violation.Rule);
    }

    [Fact]
    public void Drv032FixedTwinFailsTheRequestInstead()
    {
        using var host = new DriverHost(WdfDeviceIoDirect);
        host.EvtIoRead = Fixed.MappingDriver.EvtIoRead;
        host.Pool.FailNextMdlMappings(1);

        var failed = host.Read(16);
        var succeeded = host.Read(16);

        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, failed.Status);
        Assert.Equal(STATUS_SUCCESS, succeeded.Status);
        Assert.Equal(0x600DF00Du, BitConverter.ToUInt32(succeeded.UserBuffer, 0));
        Assert.Empty(host.Violations);
    }

    // DRV033: a pool type given as flags makes every allocation fail.

    [Fact]
    public Task Drv033FlagsTheTwinAndTheFixWritesTheFixedTwin() =>
        new CSharpCodeFixVerifier<DriverBuffers.Analyzers.Allocation.PoolTypeAsPoolFlagsAnalyzer, PoolTypeAsPoolFlagsCodeFix>.Test
        {
            TestCode = TwinSource.Mark(TwinSource.Read("ScratchDriver.Buggy.cs"), "NonPagedPoolNx"),
            IncludeDriverUsings = false,
            FixedCode = TwinSource.AsBuggy(TwinSource.Read("ScratchDriver.Fixed.cs")),
        }.RunAsync();

    [Fact]
    public void Drv033PoolTypeAsFlagsFailsEveryAllocation()
    {
        using var host = new DriverHost();
        host.EvtIoRead = Buggy.ScratchDriver.EvtIoRead;

        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, host.Read(16).Status);
        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, host.Read(16).Status);
    }

    [Fact]
    public void Drv033FixedTwinAllocates()
    {
        using var host = new DriverHost();
        host.EvtIoRead = Fixed.ScratchDriver.EvtIoRead;

        var result = host.Read(16);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.All(result.UserBuffer, b => Assert.Equal(0x5A, b));
        Assert.Empty(host.Unload().Violations);
    }

    // DRV034: a free with the wrong tag and a double free raise DRV034 in the verifier.

    [Fact]
    public Task Drv034FlagsTheWrongTagAndTheFixWritesTheFixedTwin() =>
        new CSharpCodeFixVerifier<DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer, PoolFreeMismatchCodeFix>.Test
        {
            TestCode = TwinSource.Mark(TwinSource.Read("CopyDriver.Buggy.cs"), "ExFreePoolWithTag(copy, ReadTag)"),
            IncludeDriverUsings = false,
            FixedCode = TwinSource.AsBuggy(TwinSource.Read("CopyDriver.Fixed.cs")),
        }.RunAsync();

    [Fact]
    public void Drv034WrongTagRaisesTheViolation()
    {
        using var host = new DriverHost();
        host.EvtIoWrite = Buggy.CopyDriver.EvtIoWrite;

        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 1, 2, 3, 4 }));

        Assert.Equal("DRV034", violation.Rule);
        Assert.Equal("ExFreePoolWithTag", violation.Ddi);
    }

    [Fact]
    public void Drv034FixedTagRunsClean()
    {
        using var host = new DriverHost();
        host.EvtIoWrite = Fixed.CopyDriver.EvtIoWrite;

        var result = host.Write(new byte[] { 1, 2, 3, 4 });

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Empty(host.Violations);
        Assert.Empty(host.Unload().Violations);
    }

    [Fact]
    public Task Drv034FlagsTheDoubleFreeAndNotTheCorrectedTwin() =>
        Task.WhenAll(
            new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer>.Test
            {
                TestCode = TwinSource.MarkLast(TwinSource.Read("CleanupDriver.Buggy.cs"), "ExFreePoolWithTag(copy, Tag)"),
                IncludeDriverUsings = false,
            }.RunAsync(),
            new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Allocation.PoolFreeMismatchAnalyzer>.Test
            {
                TestCode = TwinSource.Read("CleanupDriver.Fixed.cs"),
                IncludeDriverUsings = false,
            }.RunAsync());

    [Fact]
    public void Drv034DoubleFreeRaisesTheViolation()
    {
        using var host = new DriverHost();
        host.EvtIoWrite = Buggy.CleanupDriver.EvtIoWrite;

        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 1, 2, 3, 4 }));

        Assert.Equal("DRV034", violation.Rule);
    }

    [Fact]
    public void Drv034CorrectedCleanupRunsClean()
    {
        using var host = new DriverHost();
        host.EvtIoWrite = Fixed.CleanupDriver.EvtIoWrite;

        var tooShort = host.Write(new byte[] { 1, 2, 3, 4 });
        var accepted = host.Write(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, tooShort.Status);
        Assert.Equal(STATUS_SUCCESS, accepted.Status);
        Assert.Empty(host.Violations);
        Assert.Empty(host.Unload().Violations);
    }

    // DRV036: the error path frees the staging block and falls through to a write into freed pool.

    [Fact]
    public Task Drv036FlagsTheTwinAndNotTheCorrectedOne() =>
        Task.WhenAll(
            new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Allocation.UseAfterFreeAnalyzer>.Test
            {
                TestCode = TwinSource.Mark(TwinSource.Read("UseAfterFreeDriver.Buggy.cs"), "stage.Write<uint>(0, 0x55AA55AA)"),
                IncludeDriverUsings = false,
            }.RunAsync(),
            new CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Allocation.UseAfterFreeAnalyzer>.Test
            {
                TestCode = TwinSource.Read("UseAfterFreeDriver.Fixed.cs"),
                IncludeDriverUsings = false,
            }.RunAsync());

    [Fact]
    public void Drv036WriteIntoFreedPoolRaisesTheViolation()
    {
        using var host = new DriverHost();
        host.EvtIoWrite = Buggy.UseAfterFreeDriver.EvtIoWrite;

        // Two bytes: shorter than the 8-byte header, so the retrieve fails and the error path frees the block.
        var violation = Assert.Throws<WdfViolationException>(() => host.Write(new byte[] { 1, 2 }));

        Assert.Equal("DRV036", violation.Rule);
    }

    [Fact]
    public void Drv036CorrectedTwinRunsClean()
    {
        using var host = new DriverHost();
        host.EvtIoWrite = Fixed.UseAfterFreeDriver.EvtIoWrite;

        var failed = host.Write(new byte[] { 1, 2 });
        var written = host.Write(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, failed.Status);
        Assert.Equal(STATUS_SUCCESS, written.Status);
        Assert.Empty(host.Violations);
        Assert.Empty(host.Unload().Violations);
    }
}
