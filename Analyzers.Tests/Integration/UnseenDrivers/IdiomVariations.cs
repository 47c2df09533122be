// Correct code written in the other idioms that WDK samples and ports use: the status
// assigned inside the condition, positive NT_SUCCESS blocks, comparisons with STATUS_SUCCESS,
// the PVOID-length overloads, Unsafe.SizeOf-sized retrieves, a ?: into a field, helpers that
// complete the request, and tags from another class.
using System.Runtime.CompilerServices;
using DriverBuffers;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Analyzers.Tests.Integration.UnseenDrivers;

public static class IdiomPoolTags
{
    public const uint Name = 0x656D614E; // 'Name'
}

public struct VERSION_INFO
{
    public uint Major;
    public uint Minor;
}

public sealed class IdiomDevice
{
    public const uint IOCTL_GET_VERSION = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x830 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_SET_NAME = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x831 << 2) | METHOD_BUFFERED;
    public const nuint NAME_SIZE = 32;

    public PVOID Name;
    public nuint NameLength;
    public nuint LastCopy;

    public NTSTATUS IdiomInitialize()
    {
        Name = ExAllocatePool2(POOL_FLAG_NON_PAGED, NAME_SIZE, IdiomPoolTags.Name);
        return Name == NULL ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
    }

    public void IdiomUnload()
    {
        if (Name != NULL)
        {
            ExFreePoolWithTag(Name, IdiomPoolTags.Name);
            Name = NULL;
        }
    }

    public void IdiomEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;
        PVOID buffer;
        nuint length;

        switch (IoControlCode)
        {
            case IOCTL_GET_VERSION:
                if (!NT_SUCCESS(status = WdfRequestRetrieveOutputBuffer(Request, (nuint)Unsafe.SizeOf<VERSION_INFO>(), out buffer, NULL)))
                {
                    IdiomCompleteRequest(Request, status, 0);
                    return;
                }

                buffer.Write(0, new VERSION_INFO { Major = 1, Minor = 2 });
                IdiomCompleteRequest(Request, STATUS_SUCCESS, (nuint)Unsafe.SizeOf<VERSION_INFO>());
                return;

            case IOCTL_SET_NAME:
                status = WdfRequestRetrieveInputBuffer(Request, 1, out buffer, out length);
                if (status != STATUS_SUCCESS)
                {
                    break;
                }

                LastCopy = length < NAME_SIZE ? length : NAME_SIZE;
                RtlZeroMemory(Name, NAME_SIZE);
                RtlCopyMemory(Name, buffer, LastCopy);
                NameLength = LastCopy;
                break;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        IdiomCompleteRequest(Request, status, 0);
    }

    public void IdiomEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        WDFMEMORY memory;
        nuint toCopy = NameLength < Length ? NameLength : Length;

        status = WdfRequestRetrieveOutputMemory(Request, out memory);
        if (NT_SUCCESS(status))
        {
            status = WdfMemoryCopyFromBuffer(memory, 0, Name, toCopy);
            if (NT_SUCCESS(status))
            {
                WdfRequestCompleteWithInformation(Request, status, toCopy);
                return;
            }
        }

        WdfRequestComplete(Request, status);
    }

    public void IdiomEvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        NTSTATUS status;
        PVOID input;
        nuint inputLength;

        status = WdfRequestRetrieveInputBuffer(Request, Length, out input, out inputLength);
        if (!NT_SUCCESS(status))
        {
            WdfRequestComplete(Request, status);
            return;
        }

        if (inputLength > NAME_SIZE)
        {
            WdfRequestCompleteWithInformation(Request, STATUS_BUFFER_OVERFLOW, 0);
            return;
        }

        RtlCopyMemory(Name, input, inputLength);
        NameLength = inputLength;
        WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, inputLength);
    }

    private static void IdiomCompleteRequest(WDFREQUEST Request, NTSTATUS Status, nuint Information)
    {
        WdfRequestCompleteWithInformation(Request, Status, NT_SUCCESS(Status) ? Information : 0);
    }
}

public sealed class IdiomDeviceBuggy
{
    public const uint IOCTL_GET_VERSION = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x830 << 2) | METHOD_BUFFERED;
    public const uint IOCTL_GET_SERIAL = (FILE_DEVICE_UNKNOWN << 16) | (FILE_ANY_ACCESS << 14) | (0x832 << 2) | METHOD_BUFFERED;

    public PVOID Name;

    public void IdiomEvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength,
        nuint InputBufferLength, uint IoControlCode)
    {
        NTSTATUS status;
        PVOID buffer;
        nuint length;

        switch (IoControlCode)
        {
            case IOCTL_GET_VERSION:
                status = WdfRequestRetrieveInputBuffer(Request, 1, out buffer, out length);
                if (status == STATUS_SUCCESS || length > 0)
                {
                    status = buffer.Read<byte>(0) == 1 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER; // BUG DRV022
                }

                break;

            case IOCTL_GET_SERIAL:
                if (!NT_SUCCESS(status = WdfRequestRetrieveOutputBuffer(Request, sizeof(uint), out buffer, NULL)))
                {
                    break;
                }

                buffer.Write<ulong>(0, 0x1234_5678_9ABC_DEF0UL); // BUG DRV024
                IdiomCompleteRequest(Request, STATUS_SUCCESS, sizeof(ulong)); // BUG DRV023
                return;

            default:
                status = STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        IdiomCompleteRequest(Request, status, 0);
    }

    public void IdiomEvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length)
    {
        IdiomCompleteRequest(Request, STATUS_SUCCESS, 0);
        WdfRequestComplete(Request, STATUS_SUCCESS); // BUG DRV002
    }

    private static void IdiomCompleteRequest(WDFREQUEST Request, NTSTATUS Status, nuint Information)
    {
        WdfRequestCompleteWithInformation(Request, Status, NT_SUCCESS(Status) ? Information : 0);
    }
}
