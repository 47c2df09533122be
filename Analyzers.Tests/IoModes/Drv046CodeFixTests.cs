using System.Threading.Tasks;
using Xunit;
using Fix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<DriverBuffers.Analyzers.IoModes.RegistryPathKeptAnalyzer, DriverBuffers.CodeFixes.IoModes.RegistryPathCopyCodeFix>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV046's fix: keep a copy made with RtlCopyUnicodeString in driver-owned memory (Fix All).</summary>
public class Drv046CodeFixTests
{
    [Fact]
    public Task FixCopiesIntoDriverMemoryWithTheTypesTag() => Fix.VerifyCodeFixAsync("""
        class Driver
        {
            const uint Tag = 0x50676552;
            static UNICODE_STRING? SavedPath;
            static UNICODE_STRING? ServiceKey;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                // keep it for AddDevice
                {|DRV046:SavedPath = RegistryPath|};
                {|DRV046:ServiceKey = RegistryPath|};
                return STATUS_SUCCESS;
            }

            static void Scratch()
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tag);
                if (p != NULL) { ExFreePoolWithTag(p, Tag); }
            }
        }
        """, """
        class Driver
        {
            const uint Tag = 0x50676552;
            static UNICODE_STRING? SavedPath;
            static UNICODE_STRING? ServiceKey;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                // keep it for AddDevice
                UNICODE_STRING registryPathCopy = new UNICODE_STRING { MaximumLength = (ushort)(RegistryPath.Length + 2) };
                registryPathCopy.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, registryPathCopy.MaximumLength, Tag);
                if (registryPathCopy.Buffer != NULL) { RtlCopyUnicodeString(registryPathCopy, RegistryPath); }
                SavedPath = registryPathCopy;
                UNICODE_STRING registryPathCopy1 = new UNICODE_STRING { MaximumLength = (ushort)(RegistryPath.Length + 2) };
                registryPathCopy1.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, registryPathCopy1.MaximumLength, Tag);
                if (registryPathCopy1.Buffer != NULL) { RtlCopyUnicodeString(registryPathCopy1, RegistryPath); }
                ServiceKey = registryPathCopy1;
                return STATUS_SUCCESS;
            }

            static void Scratch()
            {
                PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, Tag);
                if (p != NULL) { ExFreePoolWithTag(p, Tag); }
            }
        }
        """);

    [Fact]
    public Task NoFixForTheBuffer() => new Fix.Test
    {
        TestCode = """
            class Driver
            {
                static PVOID Saved;

                static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
                {
                    {|DRV046:Saved = RegistryPath.Buffer|};
                    return STATUS_SUCCESS;
                }
            }
            """,
    }.RunAsync();
}
