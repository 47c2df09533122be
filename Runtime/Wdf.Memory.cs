using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Pool;
using DriverBuffers.Verifier;

using static DriverBuffers.Wdm;

namespace DriverBuffers;

/// <summary>Framework memory objects (WDFMEMORY).</summary>
public static partial class Wdf
{
    /// <summary>The tag KMDF uses when a driver passes pool tag 0: the driver's own tag ('FxDr' here).</summary>
    private const uint DefaultDriverTag = 0x72447846;

    /// <summary>
    /// Creates a memory object that owns a new (uninitialised) pool buffer of <paramref name="BufferSize"/>
    /// bytes; deleting the object (or its parent) frees the buffer. STATUS_INVALID_PARAMETER for size 0,
    /// STATUS_INSUFFICIENT_RESOURCES when pool runs out.
    /// </summary>
    public static NTSTATUS WdfMemoryCreate(WDF_OBJECT_ATTRIBUTES? Attributes, POOL_TYPE PoolType, uint PoolTag,
        nuint BufferSize, out WDFMEMORY Memory, out PVOID Buffer)
    {
        Memory = default;
        Buffer = default;
        var runtime = RuntimeFor(Attributes, nameof(WdfMemoryCreate), out bool parentValid);
        if (!parentValid)
        {
            return STATUS_INVALID_PARAMETER;
        }
        if (BufferSize == 0)
        {
            return STATUS_INVALID_PARAMETER;
        }
        var pointer = runtime.Pool.Allocate(new PoolRequest(nameof(WdfMemoryCreate), BufferSize,
            PoolTag == 0 ? DefaultDriverTag : PoolTag, Zeroed: false, ChargeQuota: false, RaiseOnFailure: false, Paged: IsPaged(PoolType)));
        if (pointer.Allocation is not PoolAllocation pool)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        var memory = new WdfMemoryObject(runtime, MemoryOrigin.Created, pointer, BufferSize, parent: null) { OwnedPool = pool };
        pool.FrameworkOwner = memory.HandleName;
        memory.ApplyAttributes(Attributes, runtime.Driver);
        Memory = new WDFMEMORY(memory);
        Buffer = pointer;
        return STATUS_SUCCESS;
    }

    /// <summary><see cref="WdfMemoryCreate(WDF_OBJECT_ATTRIBUTES?, POOL_TYPE, uint, nuint, out WDFMEMORY, out PVOID)"/> with C's <c>NULL</c> for the optional buffer pointer.</summary>
    public static NTSTATUS WdfMemoryCreate(WDF_OBJECT_ATTRIBUTES? Attributes, POOL_TYPE PoolType, uint PoolTag,
        nuint BufferSize, out WDFMEMORY Memory, PVOID Buffer)
    {
        NullOnly.Convert(Buffer, 0);
        return WdfMemoryCreate(Attributes, PoolType, PoolTag, BufferSize, out Memory, out PVOID _);
    }

    /// <summary>
    /// Creates a memory object over a buffer the driver owns: the object does not own it, so the driver must
    /// keep the buffer alive while the object (and any request using it, DRV040) needs it.
    /// STATUS_INVALID_PARAMETER for a NULL buffer or size 0.
    /// </summary>
    public static NTSTATUS WdfMemoryCreatePreallocated(WDF_OBJECT_ATTRIBUTES? Attributes, PVOID Buffer,
        nuint BufferSize, out WDFMEMORY Memory)
    {
        Memory = default;
        var runtime = RuntimeFor(Attributes, nameof(WdfMemoryCreatePreallocated), out bool parentValid);
        if (!parentValid || Buffer == NULL || BufferSize == 0)
        {
            return STATUS_INVALID_PARAMETER;
        }
        var memory = new WdfMemoryObject(runtime, MemoryOrigin.Preallocated, Buffer, BufferSize, parent: null);
        memory.ApplyAttributes(Attributes, runtime.Driver);
        Memory = new WDFMEMORY(memory);
        return STATUS_SUCCESS;
    }

    /// <summary>
    /// Creates a memory object whose buffer comes from a lookaside list; deleting the object returns the
    /// buffer to the list. STATUS_INSUFFICIENT_RESOURCES when pool runs out.
    /// </summary>
    public static NTSTATUS WdfMemoryCreateFromLookaside(WDFLOOKASIDE Lookaside, out WDFMEMORY Memory)
    {
        Memory = default;
        var lookaside = HandleValidation.Use(Lookaside.Object, nameof(WdfMemoryCreateFromLookaside), Lookaside.ToString());
        if (lookaside is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        var memory = lookaside.CreateMemory();
        if (memory is null)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        Memory = new WDFMEMORY(memory);
        return STATUS_SUCCESS;
    }

    /// <summary>Returns the buffer of a memory object and its size.</summary>
    public static PVOID WdfMemoryGetBuffer(WDFMEMORY Memory, out nuint BufferSize)
    {
        BufferSize = 0;
        var memory = HandleValidation.Use(Memory.Object, nameof(WdfMemoryGetBuffer), Memory.ToString());
        if (memory is null)
        {
            return NULL;
        }
        BufferSize = memory.Length;
        return memory.Buffer;
    }

    /// <summary><see cref="WdfMemoryGetBuffer(WDFMEMORY, out nuint)"/> with C's <c>NULL</c> for the size.</summary>
    public static PVOID WdfMemoryGetBuffer(WDFMEMORY Memory, PVOID BufferSize)
    {
        NullOnly.Convert(BufferSize, 0);
        return WdfMemoryGetBuffer(Memory, out nuint _);
    }

    /// <summary>
    /// Copies <paramref name="NumBytesToCopyFrom"/> bytes from <paramref name="SourceBuffer"/> into the memory
    /// object at <paramref name="DestinationOffset"/>. STATUS_INVALID_PARAMETER for a NULL source or 0 bytes,
    /// STATUS_INVALID_BUFFER_SIZE for an offset past the end, STATUS_BUFFER_TOO_SMALL when the bytes do not fit.
    /// </summary>
    public static NTSTATUS WdfMemoryCopyFromBuffer(WDFMEMORY DestinationMemory, nuint DestinationOffset,
        PVOID SourceBuffer, nuint NumBytesToCopyFrom)
    {
        var status = CheckMemoryCopy(DestinationMemory, DestinationOffset, SourceBuffer, NumBytesToCopyFrom,
            nameof(WdfMemoryCopyFromBuffer), out var memory);
        if (NT_SUCCESS(status))
        {
            PointerOperations.Copy(memory!.Buffer + DestinationOffset, SourceBuffer, NumBytesToCopyFrom, nameof(WdfMemoryCopyFromBuffer));
        }
        return status;
    }

    /// <summary>
    /// Copies <paramref name="NumBytesToCopyTo"/> bytes out of the memory object from <paramref name="SourceOffset"/>
    /// into <paramref name="Buffer"/>. Same statuses as <see cref="WdfMemoryCopyFromBuffer"/>.
    /// </summary>
    public static NTSTATUS WdfMemoryCopyToBuffer(WDFMEMORY SourceMemory, nuint SourceOffset, PVOID Buffer,
        nuint NumBytesToCopyTo)
    {
        var status = CheckMemoryCopy(SourceMemory, SourceOffset, Buffer, NumBytesToCopyTo,
            nameof(WdfMemoryCopyToBuffer), out var memory);
        if (NT_SUCCESS(status))
        {
            PointerOperations.Copy(Buffer, memory!.Buffer + SourceOffset, NumBytesToCopyTo, nameof(WdfMemoryCopyToBuffer));
        }
        return status;
    }

    private static NTSTATUS CheckMemoryCopy(WDFMEMORY handle, nuint offset, PVOID buffer, nuint count, string ddi, out WdfMemoryObject? memory)
    {
        memory = HandleValidation.Use(handle.Object, ddi, handle.ToString());
        if (memory is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        if (buffer == NULL || count == 0)
        {
            return STATUS_INVALID_PARAMETER;
        }
        nuint size = memory.Length;
        if (offset > size)
        {
            return STATUS_INVALID_BUFFER_SIZE;
        }
        return count > size - offset ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
    }

    /// <summary>
    /// Points a memory object created by <c>WdfMemoryCreatePreallocated</c> at another buffer. On any other
    /// memory object this is DRV041 (STATUS_INVALID_DEVICE_REQUEST with the verifier off);
    /// STATUS_INVALID_PARAMETER for a NULL buffer or size 0.
    /// </summary>
    public static NTSTATUS WdfMemoryAssignBuffer(WDFMEMORY Memory, PVOID Buffer, nuint BufferSize)
    {
        var memory = HandleValidation.Use(Memory.Object, nameof(WdfMemoryAssignBuffer), Memory.ToString());
        if (memory is null)
        {
            return STATUS_INVALID_HANDLE;
        }
        if (memory.Origin != MemoryOrigin.Preallocated)
        {
            memory.Runtime.Verifier.Report(Rules.AssignBufferOnOwnedMemory, nameof(WdfMemoryAssignBuffer), Memory.ToString(),
                $"the memory object was not created by WdfMemoryCreatePreallocated (it is {memory.Origin} memory) and owns its buffer");
            return STATUS_INVALID_DEVICE_REQUEST;
        }
        if (Buffer == NULL || BufferSize == 0)
        {
            return STATUS_INVALID_PARAMETER;
        }
        memory.Assign(Buffer, BufferSize);
        return STATUS_SUCCESS;
    }

    /// <summary>The runtime new objects live in: the parent's, else the ambient one. Reports a stale parent.</summary>
    private static DriverRuntime RuntimeFor(WDF_OBJECT_ATTRIBUTES? attributes, string ddi, out bool parentValid)
    {
        var parent = attributes?.ParentObject.Object;
        parentValid = true;
        if (parent is null)
        {
            return AmbientRuntime.Current;
        }
        parentValid = HandleValidation.Use(parent, ddi, attributes!.ParentObject.ToString()) is not null;
        return parent.Runtime;
    }
}
