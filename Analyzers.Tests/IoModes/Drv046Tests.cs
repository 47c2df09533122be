using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.IoModes.RegistryPathKeptAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.IoModes;

/// <summary>DRV046: DriverEntry keeps its RegistryPath (or its buffer) instead of a copy (PREfast C28131).</summary>
public class Drv046Tests
{
    [Fact]
    public Task FlagsThePointerAndTheBufferKeptInFieldsAndContexts() => Verify.VerifyAnalyzerAsync("""
        class Globals { public static UNICODE_STRING? Path; public static PVOID PathBuffer; }
        class DriverContext { public PVOID Name; }

        class Driver
        {
            static DriverContext Context = new();

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                {|#0:Globals.Path = RegistryPath|};
                PVOID buffer = RegistryPath.Buffer;
                {|#1:Globals.PathBuffer = buffer + 2|};
                {|#2:Context.Name = RegistryPath.Buffer|};
                return STATUS_SUCCESS;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("'DriverEntry'", "its RegistryPath", "Globals.Path"),
        Verify.Diagnostic().WithLocation(1).WithArguments("'DriverEntry'", "the buffer of its RegistryPath", "Globals.PathBuffer"),
        Verify.Diagnostic().WithLocation(2).WithArguments("'DriverEntry'", "the buffer of its RegistryPath", "Context.Name"));

    [Fact]
    public Task FlagsAHelperThatKeepsItAndACallbackThatReadsIt() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            static UNICODE_STRING? Saved;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                {|#0:Remember(RegistryPath)|};
                DriverObject.DriverUnload = d => { ushort length = {|#1:RegistryPath|}.Length; };
                return STATUS_SUCCESS;
            }

            static void Remember(UNICODE_STRING path) => {|#2:Saved = path|};
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(2).WithArguments("'DriverEntry'", "its RegistryPath", "Saved"),
        Verify.Diagnostic().WithLocation(1).WithArguments("'DriverEntry'", "its RegistryPath", "a callback created in DriverEntry (line 8), which runs after it returned"));

    [Fact]
    public Task SilentForACopyTheLengthDdisAndLocals() => Verify.VerifyAnalyzerAsync("""
        class Driver
        {
            const uint Tag = 0x50676552;
            static readonly UNICODE_STRING Copy = new();
            static ushort PathLength;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                UNICODE_STRING local = RegistryPath;
                PVOID buffer = local.Buffer;
                PathLength = RegistryPath.Length;
                Copy.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, (nuint)RegistryPath.Length + 2, Tag);
                if (Copy.Buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                Copy.MaximumLength = (ushort)(RegistryPath.Length + 2);
                RtlCopyUnicodeString(Copy, RegistryPath);
                Print(RegistryPath);
                WDF_DRIVER_CONFIG_INIT(out var config, null);
                return WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
            }

            static ushort Print(UNICODE_STRING path) => path.Length;

            static NTSTATUS NotDriverEntry(DRIVER_OBJECT DriverObject, DEVICE_OBJECT Device)
            {
                return STATUS_SUCCESS;
            }
        }
        """);

    private const string KeptTwoHelpersDown = """
        class Driver
        {
            static UNICODE_STRING? Saved;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                {|#0:Configure(RegistryPath)|};
                return STATUS_SUCCESS;
            }

            static void Configure(UNICODE_STRING path)
            {
                if (path.Length > 0) { Remember(path); }
            }

            static void Remember(UNICODE_STRING path) => {|#1:Saved = path|};
        }
        """;

    [Fact]
    public Task FlagsAHelperThatHandsItToAHelperThatKeepsIt() => Verify.VerifyAnalyzerAsync(
        KeptTwoHelpersDown,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("'DriverEntry'", "its RegistryPath", "Saved"));

    [Fact]
    public Task FollowsHelpersOnlyDownToTheConfiguredDepth() => new Verify.Test
    {
        // helper_depth = 1: the helper's own statements only; what it hands on to another helper is not followed.
        TestCode = KeptTwoHelpersDown.Replace("{|#0:", "").Replace("{|#1:", "").Replace(")|};", ");").Replace("path|};", "path;"),
        TestState = { AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndriverbuffers.helper_depth = 1\n") } },
    }.RunAsync();

    [Fact]
    public Task SilentForTheWdkPatternCopyInDriverEntryFreeAtUnload() => Verify.VerifyAnalyzerAsync("""
        class Globals
        {
            public static readonly UNICODE_STRING RegistryPath = new();
        }

        class WdmDriver
        {
            const uint Tag = 0x50676552;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                Globals.RegistryPath.MaximumLength = (ushort)(RegistryPath.Length + sizeof(char));
                Globals.RegistryPath.Length = RegistryPath.Length;
                Globals.RegistryPath.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, Globals.RegistryPath.MaximumLength, Tag);
                if (Globals.RegistryPath.Buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyUnicodeString(Globals.RegistryPath, RegistryPath);
                DriverObject.DriverUnload = DriverUnload;
                return STATUS_SUCCESS;
            }

            static void DriverUnload(DRIVER_OBJECT DriverObject)
            {
                ExFreePoolWithTag(Globals.RegistryPath.Buffer, Tag);
                Globals.RegistryPath.Buffer = NULL;
            }
        }

        class KmdfDriver
        {
            const uint Tag = 0x50676552;
            static UNICODE_STRING? ServiceKey;

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                var copy = new UNICODE_STRING { MaximumLength = (ushort)(RegistryPath.Length + sizeof(char)) };
                copy.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, copy.MaximumLength, Tag);
                if (copy.Buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                RtlCopyUnicodeString(copy, RegistryPath);
                ServiceKey = copy;
                WDF_DRIVER_CONFIG_INIT(out var config, null);
                config.EvtDriverUnload = driver =>
                {
                    if (ServiceKey is { } key) { ExFreePoolWithTag(key.Buffer, Tag); }
                    ServiceKey = null;
                };
                var status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, config, WDF_NO_HANDLE);
                if (!NT_SUCCESS(status)) { ExFreePoolWithTag(copy.Buffer, Tag); ServiceKey = null; }
                return status;
            }
        }

        class HelperCopyDriver
        {
            const uint Tag = 0x50676552;
            static readonly UNICODE_STRING Copy = new();

            static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
            {
                NTSTATUS status = SaveCopy(RegistryPath);
                DriverObject.DriverUnload = d => ExFreePoolWithTag(Copy.Buffer, Tag);
                return status;
            }

            static NTSTATUS SaveCopy(UNICODE_STRING path) => CopyInto(Copy, path);

            static NTSTATUS CopyInto(UNICODE_STRING destination, UNICODE_STRING source)
            {
                destination.Buffer = ExAllocatePool2(POOL_FLAG_PAGED, (nuint)source.Length + 2, Tag);
                if (destination.Buffer == NULL) { return STATUS_INSUFFICIENT_RESOURCES; }
                destination.MaximumLength = (ushort)(source.Length + 2);
                RtlCopyUnicodeString(destination, source);
                return STATUS_SUCCESS;
            }
        }
        """);
}
