namespace DriverBuffers;

/// <summary>NT status codes with their real values, and <c>NT_SUCCESS</c>.</summary>
public static partial class Wdm
{
    private static NTSTATUS Status(uint value) => new(unchecked((int)value));

    public static readonly NTSTATUS STATUS_SUCCESS = Status(0x00000000);

    /// <summary>What a completion routine returns to let completion go on (the same value as STATUS_SUCCESS).</summary>
    public static readonly NTSTATUS STATUS_CONTINUE_COMPLETION = Status(0x00000000);
    public static readonly NTSTATUS STATUS_TIMEOUT = Status(0x00000102);
    public static readonly NTSTATUS STATUS_PENDING = Status(0x00000103);
    /// <summary>The object (context, name) already exists; a success code.</summary>
    public static readonly NTSTATUS STATUS_OBJECT_NAME_EXISTS = Status(0x40000000);
    public static readonly NTSTATUS STATUS_DATATYPE_MISALIGNMENT = Status(0x80000002);
    public static readonly NTSTATUS STATUS_BUFFER_OVERFLOW = Status(0x80000005);
    public static readonly NTSTATUS STATUS_DEVICE_BUSY = Status(0x80000011);
    public static readonly NTSTATUS STATUS_NO_MORE_ENTRIES = Status(0x8000001A);
    public static readonly NTSTATUS STATUS_UNSUCCESSFUL = Status(0xC0000001);
    public static readonly NTSTATUS STATUS_NOT_IMPLEMENTED = Status(0xC0000002);
    public static readonly NTSTATUS STATUS_INFO_LENGTH_MISMATCH = Status(0xC0000004);
    public static readonly NTSTATUS STATUS_ACCESS_VIOLATION = Status(0xC0000005);
    public static readonly NTSTATUS STATUS_INVALID_HANDLE = Status(0xC0000008);
    public static readonly NTSTATUS STATUS_INVALID_PARAMETER = Status(0xC000000D);
    public static readonly NTSTATUS STATUS_NO_SUCH_DEVICE = Status(0xC000000E);
    public static readonly NTSTATUS STATUS_INVALID_DEVICE_REQUEST = Status(0xC0000010);
    public static readonly NTSTATUS STATUS_END_OF_FILE = Status(0xC0000011);
    public static readonly NTSTATUS STATUS_MORE_PROCESSING_REQUIRED = Status(0xC0000016);
    /// <summary>The name (or context type) is invalid.</summary>
    public static readonly NTSTATUS STATUS_OBJECT_NAME_INVALID = Status(0xC0000033);
    /// <summary>No object has that name.</summary>
    public static readonly NTSTATUS STATUS_OBJECT_NAME_NOT_FOUND = Status(0xC0000034);
    /// <summary>An object with that name exists already.</summary>
    public static readonly NTSTATUS STATUS_OBJECT_NAME_COLLISION = Status(0xC0000035);
    public static readonly NTSTATUS STATUS_NO_MEMORY = Status(0xC0000017);
    public static readonly NTSTATUS STATUS_ACCESS_DENIED = Status(0xC0000022);
    public static readonly NTSTATUS STATUS_BUFFER_TOO_SMALL = Status(0xC0000023);
    /// <summary>The object is already open (or connected) in a way that excludes another user.</summary>
    public static readonly NTSTATUS STATUS_SHARING_VIOLATION = Status(0xC0000043);
    public static readonly NTSTATUS STATUS_QUOTA_EXCEEDED = Status(0xC0000044);
    public static readonly NTSTATUS STATUS_DELETE_PENDING = Status(0xC0000056);
    public static readonly NTSTATUS STATUS_INSUFFICIENT_RESOURCES = Status(0xC000009A);
    public static readonly NTSTATUS STATUS_DEVICE_NOT_READY = Status(0xC00000A3);
    public static readonly NTSTATUS STATUS_IO_TIMEOUT = Status(0xC00000B5);
    public static readonly NTSTATUS STATUS_INTERNAL_ERROR = Status(0xC00000E5);
    public static readonly NTSTATUS STATUS_NOT_SUPPORTED = Status(0xC00000BB);
    public static readonly NTSTATUS STATUS_REQUEST_NOT_ACCEPTED = Status(0xC00000D0);
    public static readonly NTSTATUS STATUS_INVALID_USER_BUFFER = Status(0xC00000E8);
    public static readonly NTSTATUS STATUS_CANCELLED = Status(0xC0000120);
    public static readonly NTSTATUS STATUS_INVALID_DEVICE_STATE = Status(0xC0000184);
    public static readonly NTSTATUS STATUS_INVALID_BUFFER_SIZE = Status(0xC0000206);
    /// <summary>The object (a resource, a connection, an entry) was not found.</summary>
    public static readonly NTSTATUS STATUS_NOT_FOUND = Status(0xC0000225);
    public static readonly NTSTATUS STATUS_DEVICE_REMOVED = Status(0xC00002B6);
    /// <summary>What a failed <c>NT_ASSERT</c> raises for the kernel debugger.</summary>
    public static readonly NTSTATUS STATUS_ASSERTION_FAILURE = Status(0xC0000420);
    /// <summary>KMDF: the object is busy (a request type already goes to another queue).</summary>
    public static readonly NTSTATUS STATUS_WDF_BUSY = Status(0xC0200204);
    /// <summary>KMDF: a required callback was not given.</summary>
    public static readonly NTSTATUS STATUS_WDF_NO_CALLBACK = Status(0xC020020B);
    /// <summary>KMDF: the object's execution level does not allow it (a callback lock of the other kind).</summary>
    public static readonly NTSTATUS STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL = Status(0xC020020C);
    /// <summary>KMDF: the object needs a parent in its attributes.</summary>
    public static readonly NTSTATUS STATUS_WDF_PARENT_NOT_SPECIFIED = Status(0xC0200212);

    /// <summary>C's <c>NT_SUCCESS(status)</c>: true for success and informational codes (value &gt;= 0).</summary>
    public static bool NT_SUCCESS(NTSTATUS status) => status.Value >= 0;
}
