using System.Threading.Tasks;
using DriverBuffers.Analyzers.Allocation;
using DriverBuffers.Analyzers.Tests.Verifiers;
using DriverBuffers.CodeFixes.Allocation;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    DriverBuffers.Analyzers.Allocation.DeprecatedPoolAllocationAnalyzer,
    DriverBuffers.CodeFixes.Allocation.DeprecatedPoolAllocationCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Allocation;

/// <summary>DRV030: every row of the pool type to flags mapping, through the code fix.</summary>
public class Drv030MappingTests
{
    private static string Driver(string call) => $$"""
        class Driver
        {
            private const uint Tag = 0x74736554;

            NTSTATUS Allocate(nuint size)
            {
                PVOID buffer = {{call}};
                if (buffer == NULL)
                {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                ExFreePoolWithTag(buffer, Tag);
                return STATUS_SUCCESS;
            }
        }
        """;

    [Theory]
    [InlineData("ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(PagedPool, size, Tag)", "ExAllocatePool2(POOL_FLAG_PAGED, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(NonPagedPool, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(NonPagedPoolExecute, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(NonPagedPoolNxCacheAligned, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(PagedPoolCacheAligned, size, Tag)", "ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(NonPagedPoolCacheAligned, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(PagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE, size, Tag)", "ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_RAISE_ON_FAILURE, size, Tag)")]
    [InlineData("ExAllocatePool(NonPagedPoolNx, size)", "ExAllocatePool2(POOL_FLAG_NON_PAGED, size, Tag)")]
    [InlineData("ExAllocatePool(PagedPool, size)", "ExAllocatePool2(POOL_FLAG_PAGED, size, Tag)")]
    [InlineData("ExAllocatePoolWithQuota(PagedPool, size)", "ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, size, Tag)")]
    [InlineData("ExAllocatePoolWithQuota(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, size)", "ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, size, Tag)")]
    [InlineData("ExAllocatePoolWithQuotaTag(NonPagedPoolNx, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, size, Tag)")]
    [InlineData("ExAllocatePoolWithQuotaTag(NonPagedPoolNx | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA, size, Tag)")]
    [InlineData("ExAllocatePoolWithQuotaTag(PagedPoolCacheAligned, size, Tag)", "ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, size, Tag)")]
    [InlineData("ExAllocatePoolWithTagPriority(NonPagedPoolNx, size, Tag, HighPoolPriority)", "ExAllocatePool3(POOL_FLAG_NON_PAGED, size, Tag, new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority, Priority = HighPoolPriority }, 1)")]
    [InlineData("ExAllocatePoolWithTagPriority(PagedPool, size, Tag, LowPoolPriority)", "ExAllocatePool3(POOL_FLAG_PAGED, size, Tag, new POOL_EXTENDED_PARAMETER { Type = PoolExtendedParameterPriority, Priority = LowPoolPriority }, 1)")]
    public Task MapsToFlags(string deprecated, string replacement) =>
        Verify.VerifyCodeFixAsync(Driver("[|" + deprecated + "|]"), Driver(replacement));

    [Theory]
    [InlineData("ExAllocatePoolWithTag(NonPagedPool, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(NonPagedPoolExecute, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(NonPagedPoolCacheAligned, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_CACHE_ALIGNED, size, Tag)")]
    [InlineData("ExAllocatePoolWithQuotaTag(NonPagedPool, size, Tag)", "ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_USE_QUOTA | POOL_FLAG_RAISE_ON_FAILURE, size, Tag)")]
    public Task ExecutablePoolOffersTheExecutableFlagSecond(string deprecated, string replacement) =>
        new Verify.Test
        {
            TestCode = Driver("[|" + deprecated + "|]"),
            FixedCode = Driver(replacement),
            CodeActionIndex = 1,
            CodeActionEquivalenceKey = DeprecatedPoolAllocationCodeFix.ExecutableKey,
        }.RunAsync();

    [Fact]
    public Task NonExecutablePoolHasNoExecutableFix() =>
        new Verify.Test
        {
            TestCode = Driver("[|ExAllocatePoolWithTag(NonPagedPoolNx, size, Tag)|]"),
            CodeActionEquivalenceKey = DeprecatedPoolAllocationCodeFix.ExecutableKey,
        }.RunAsync();

    [Theory]
    [InlineData("ExAllocatePoolWithTag(NonPagedPoolMustSucceed, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(type, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag((POOL_TYPE)type, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(flag ? PagedPool : NonPagedPoolNx, size, Tag)")]
    [InlineData("ExAllocatePoolWithTag(PagedPool | NonPagedPoolNx, size, Tag)")]
    public Task PoolTypeThatDoesNotMapIsReportedWithoutFix(string call) =>
        new Verify.Test
        {
            TestCode = Driver("[|" + call + "|]").Replace("Allocate(nuint size)", "Allocate(nuint size, POOL_TYPE type, bool flag)"),
        }.RunAsync();
}
