using System.Threading.Tasks;
using Xunit;
using StatusFix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<DriverBuffers.Analyzers.Copies.StatusCheckAnalyzer, DriverBuffers.CodeFixes.Copies.StatusCheckCodeFix>;
using CopyFix = DriverBuffers.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<DriverBuffers.Analyzers.Copies.CopyBoundsAnalyzer, DriverBuffers.CodeFixes.Copies.UnboundedCopyCodeFix>;

namespace DriverBuffers.Analyzers.Tests.Copies;

public class CopiesCodeFixTests
{
    [Fact]
    public Task DroppedCopyStatusesInAQueueCallbackAreStoredInANewStatusAndChecked() => StatusFix.VerifyCodeFixAsync("""
        class Driver
        {
            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                if (!NT_SUCCESS(WdfRequestRetrieveInputMemory(Request, out var memory))) { WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }
                // Save what came in.
                {|DRV021:WdfMemoryCopyToBuffer(memory, 0, local, 8)|}; // first half
                {|DRV021:WdfMemoryCopyFromBuffer(memory, 0, local, 4)|};
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
            }
        }
        """, """
        class Driver
        {
            static void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                if (!NT_SUCCESS(WdfRequestRetrieveInputMemory(Request, out var memory))) { WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }
                // Save what came in.
                NTSTATUS status = WdfMemoryCopyToBuffer(memory, 0, local, 8); // first half
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }
                status = WdfMemoryCopyFromBuffer(memory, 0, local, 4);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, Length);
            }
        }
        """);

    [Fact]
    public Task StoredStatusesAreCheckedInTheMethodsConvention() => StatusFix.VerifyCodeFixAsync("""
        class Driver
        {
            static NTSTATUS Fill(WDFMEMORY memory, PVOID data)
            {
                var copied = {|DRV021:WdfMemoryCopyFromBuffer(memory, 0, data, 4)|};
                return STATUS_SUCCESS;
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status;
                status = WdfRequestRetrieveOutputBuffer(Request, 4, out var buffer, out var length);
                {|DRV022:buffer|}.Write<int>(0, 1);
                status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status))
                {
                    goto End;
                }
                WdfRequestRetrieveOutputMemory(Request, out var output);
                WdfMemoryGetBuffer({|DRV022:output|}, NULL);
                End:
                WdfRequestComplete(Request, status);
            }
        }
        """, """
        class Driver
        {
            static NTSTATUS Fill(WDFMEMORY memory, PVOID data)
            {
                var copied = WdfMemoryCopyFromBuffer(memory, 0, data, 4);
                if (!NT_SUCCESS(copied))
                {
                    return copied;
                }
                return STATUS_SUCCESS;
            }

            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status;
                status = WdfRequestRetrieveOutputBuffer(Request, 4, out var buffer, out var length);
                if (!NT_SUCCESS(status))
                {
                    goto End;
                }
                buffer.Write<int>(0, 1);
                status = WdfRequestRetrieveInputMemory(Request, out var memory);
                if (!NT_SUCCESS(status))
                {
                    goto End;
                }
                status = WdfRequestRetrieveOutputMemory(Request, out var output);
                if (!NT_SUCCESS(status))
                {
                    goto End;
                }
                WdfMemoryGetBuffer(output, NULL);
                End:
                WdfRequestComplete(Request, status);
            }
        }
        """);

    [Fact]
    public Task ACopyIntoAMemoryObjectsBufferBecomesACheckedCopy() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var buffer = WdfMemoryGetBuffer(memory, out var size);
                var data = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x6B6F6F4C);
                {|DRV020:RtlCopyMemory(buffer + 4, data, 64)|}; // the payload
                {|DRV020:RtlCopyMemory(data, buffer, size)|};
                {|DRV020:RtlCopyMemory(data, buffer + 8, 64)|};
                ExFreePoolWithTag(data, 0x6B6F6F4C);
                WdfRequestCompleteWithInformation(Request, status, size);
            }
        }
        """, """
        class Driver
        {
            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var buffer = WdfMemoryGetBuffer(memory, out var size);
                var data = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x6B6F6F4C);
                status = WdfMemoryCopyFromBuffer(memory, 4, data, 64); // the payload
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }
                if (size > 64)
                {
                    WdfRequestComplete(Request, STATUS_BUFFER_TOO_SMALL);
                    return;
                }
                RtlCopyMemory(data, buffer, size);
                status = WdfMemoryCopyToBuffer(memory, 8, data, 64);
                if (!NT_SUCCESS(status))
                {
                    WdfRequestComplete(Request, status);
                    return;
                }
                ExFreePoolWithTag(data, 0x6B6F6F4C);
                WdfRequestCompleteWithInformation(Request, status, size);
            }
        }
        """);

    [Fact]
    public Task OtherCopiesGetASizeGuard() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            static NTSTATUS Copy(WDFREQUEST Request, byte[] data)
            {
                var status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) return status;
                var status2 = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, out var outLen);
                if (!NT_SUCCESS(status2)) return status2;
                {|DRV020:RtlCopyMemory(outBuf, inBuf, inLen)|};
                var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                {|DRV020:RtlMoveMemory(block, outBuf, outLen)|};
                ExFreePoolWithTag(block, 0x6B6F6F4C);
                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            static NTSTATUS Copy(WDFREQUEST Request, byte[] data)
            {
                var status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) return status;
                var status2 = WdfRequestRetrieveOutputBuffer(Request, sizeof(int), out var outBuf, out var outLen);
                if (!NT_SUCCESS(status2)) return status2;
                if (inLen > outLen)
                {
                    return STATUS_BUFFER_TOO_SMALL;
                }
                RtlCopyMemory(outBuf, inBuf, inLen);
                var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                if (outLen > 8)
                {
                    return STATUS_BUFFER_TOO_SMALL;
                }
                RtlMoveMemory(block, outBuf, outLen);
                ExFreePoolWithTag(block, 0x6B6F6F4C);
                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>
    /// A dropped copy status as the last statement of <c>if (NT_SUCCESS(status)) { … }</c>, with the status handled
    /// after the <c>if</c>: the fix only stores it (a guard that completes and returns would skip the
    /// WdfObjectDelete of the lookaside record before the completion).
    /// </summary>
    [Fact]
    public Task ADroppedStatusThatFlowsToTheHandlingAfterTheSuccessBlockIsOnlyStored() => StatusFix.VerifyCodeFixAsync("""
        class Driver
        {
            WDFLOOKASIDE Lookaside;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var output);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfMemoryCreateFromLookaside(Lookaside, out var record);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var buffer = WdfMemoryGetBuffer(record, out var size);
                if (NT_SUCCESS(status))
                {
                    {|DRV021:WdfMemoryCopyFromBuffer(output, 0, buffer, size < Length ? size : Length)|}; // copy out
                }

                WdfObjectDelete(record);
                WdfRequestComplete(Request, status);
            }
        }
        """, """
        class Driver
        {
            WDFLOOKASIDE Lookaside;

            void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var output);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                status = WdfMemoryCreateFromLookaside(Lookaside, out var record);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var buffer = WdfMemoryGetBuffer(record, out var size);
                if (NT_SUCCESS(status))
                {
                    status = WdfMemoryCopyFromBuffer(output, 0, buffer, size < Length ? size : Length); // copy out
                }

                WdfObjectDelete(record);
                WdfRequestComplete(Request, status);
            }
        }
        """);

    /// <summary>A WDM dispatch routine owns its IRP: the guard completes it before returning (it used to just return).</summary>
    [Fact]
    public Task AGuardInAWdmDispatchRoutineCompletesTheIrp() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            PVOID Mailbox;

            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
                Mailbox = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6C69614D);
                {|DRV020:RtlCopyMemory(Mailbox, Irp.AssociatedIrp.SystemBuffer, length)|};
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            PVOID Mailbox;

            NTSTATUS DispatchWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
            {
                uint length = IoGetCurrentIrpStackLocation(Irp).Parameters.Write.Length;
                Mailbox = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6C69614D);
                if (length > 16)
                {
                    Irp.IoStatus.Status = STATUS_BUFFER_TOO_SMALL;
                    Irp.IoStatus.Information = 0;
                    IoCompleteRequest(Irp, IO_NO_INCREMENT);
                    return STATUS_BUFFER_TOO_SMALL;
                }
                RtlCopyMemory(Mailbox, Irp.AssociatedIrp.SystemBuffer, length);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }
        }
        """);

    [Fact]
    public Task AGuardInAGotoStyleCallbackSetsTheStatusAndJumps() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) goto Exit;
                status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) goto Exit;
                {|DRV020:RtlMoveMemory(outBuf, inBuf, inLen)|};
            Exit:
                WdfRequestComplete(Request, status);
            }
        }
        """, """
        class Driver
        {
            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) goto Exit;
                status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) goto Exit;
                if (inLen > outLen)
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                    goto Exit;
                }
                RtlMoveMemory(outBuf, inBuf, inLen);
            Exit:
                WdfRequestComplete(Request, status);
            }
        }
        """);

    [Fact]
    public Task AGuardJumpsToTheCleanupLabelOfAMethodThatSetsTheStatusBeforeItsGotos() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            static NTSTATUS Copy(PVOID source, nuint length)
            {
                NTSTATUS status;
                PVOID scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C);
                if (scratch == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    goto Exit;
                }

                {|DRV020:RtlCopyMemory(scratch, source, length)|};
                status = STATUS_SUCCESS;
            Exit:
                if (scratch != NULL)
                {
                    ExFreePoolWithTag(scratch, 0x6B6F6F4C);
                }

                return status;
            }
        }
        """, """
        class Driver
        {
            static NTSTATUS Copy(PVOID source, nuint length)
            {
                NTSTATUS status;
                PVOID scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x6B6F6F4C);
                if (scratch == NULL)
                {
                    status = STATUS_INSUFFICIENT_RESOURCES;
                    goto Exit;
                }
                if (length > 16)
                {
                    status = STATUS_BUFFER_TOO_SMALL;
                    goto Exit;
                }

                RtlCopyMemory(scratch, source, length);
                status = STATUS_SUCCESS;
            Exit:
                if (scratch != NULL)
                {
                    ExFreePoolWithTag(scratch, 0x6B6F6F4C);
                }

                return status;
            }
        }
        """);

    [Fact]
    public Task NoFixWhereNoConventionApplies() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            static int Copy(PVOID source)
            {
                var target = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, 0x6B6F6F4C);
                {|DRV020:RtlCopyMemory(target, source, 8)|};
                ExFreePoolWithTag(target, 0x6B6F6F4C);
                return 0;
            }
        }
        """, """
        class Driver
        {
            static int Copy(PVOID source)
            {
                var target = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4, 0x6B6F6F4C);
                {|DRV020:RtlCopyMemory(target, source, 8)|};
                ExFreePoolWithTag(target, 0x6B6F6F4C);
                return 0;
            }
        }
        """);

    /// <summary>
    /// Issue 11: a dropped copy status in a function whose status variable still holds an earlier copy's status, tested
    /// only later: the fix stores the dropped one in a new variable and keeps the first failure in the function's status
    /// (no early leave that would skip the earlier status' test and the cleanup before it: no new DRV021, no leak).
    /// </summary>
    [Fact]
    public Task ADroppedStatusBesideAnotherCopysPendingStatusGetsItsOwnVariable() => StatusFix.VerifyCodeFixAsync("""
        class Driver
        {
            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                status = WdfMemoryCopyFromBuffer(memory, 0, local, 4);
                {|DRV021:WdfMemoryCopyToBuffer(memory, 4, local, 4)|};
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
            }
        }
        """, """
        class Driver
        {
            static void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
            {
                NTSTATUS status = WdfRequestRetrieveOutputMemory(Request, out var memory);
                if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                var local = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, 0x6B6F6F4C);
                status = WdfMemoryCopyFromBuffer(memory, 0, local, 4);
                NTSTATUS status2 = WdfMemoryCopyToBuffer(memory, 4, local, 4);
                if (!NT_SUCCESS(status2) && NT_SUCCESS(status)) { status = status2; }
                ExFreePoolWithTag(local, 0x6B6F6F4C);
                WdfRequestComplete(Request, status);
            }
        }
        """);

    /// <summary>Issue 11: a copy whose source is the side that overruns gets a guard against the source's size, and the finding goes away.</summary>
    [Fact]
    public Task ACopyOverrunningItsSourceIsGuardedByTheSourcesSize() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            static NTSTATUS Copy(WDFREQUEST Request)
            {
                var status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) return status;
                status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) return status;
                {|DRV020:RtlCopyMemory(outBuf, inBuf, outLen)|};
                return STATUS_SUCCESS;
            }
        }
        """, """
        class Driver
        {
            static NTSTATUS Copy(WDFREQUEST Request)
            {
                var status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                if (!NT_SUCCESS(status)) return status;
                status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                if (!NT_SUCCESS(status)) return status;
                if (outLen > inLen)
                {
                    return STATUS_BUFFER_TOO_SMALL;
                }
                RtlCopyMemory(outBuf, inBuf, outLen);
                return STATUS_SUCCESS;
            }
        }
        """);

    /// <summary>Issue 11: guards and checks inserted inside a <c>case X: { … }</c> block are indented as the block's statements.</summary>
    [Fact]
    public Task FixesInsideACaseBlockKeepItsIndentation() => CopyFix.VerifyCodeFixAsync("""
        class Driver
        {
            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
                switch (IoControlCode)
                {
                    case 1:
                    {
                        status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                        status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                        {|DRV020:RtlCopyMemory(outBuf, inBuf, inLen)|};
                        WdfRequestComplete(Request, STATUS_SUCCESS);
                        return;
                    }
                }

                WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
            }
        }
        """, """
        class Driver
        {
            static void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode)
            {
                NTSTATUS status;
                switch (IoControlCode)
                {
                    case 1:
                    {
                        status = WdfRequestRetrieveInputBuffer(Request, 1, out var inBuf, out var inLen);
                        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                        status = WdfRequestRetrieveOutputBuffer(Request, 1, out var outBuf, out var outLen);
                        if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }
                        if (inLen > outLen)
                        {
                            WdfRequestComplete(Request, STATUS_BUFFER_TOO_SMALL);
                            return;
                        }
                        RtlCopyMemory(outBuf, inBuf, inLen);
                        WdfRequestComplete(Request, STATUS_SUCCESS);
                        return;
                    }
                }

                WdfRequestComplete(Request, STATUS_INVALID_DEVICE_REQUEST);
            }
        }
        """);
}
