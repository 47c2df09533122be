using System;
using DriverBuffers.Framework;
using DriverBuffers.Memory;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// A buffer on the kernel stack: C's <c>UCHAR buffer[64];</c> is <c>using var buffer = new LOCAL_BUFFER(64);</c> and
/// <c>buffer</c> used as a pointer is <see cref="Address"/>. The storage dies when the <c>using</c> scope ends: a
/// later access is StackBufferOutOfScope, and a request sent asynchronously over it and still pending then is
/// DRV040 (the target would write into a dead stack frame). Its bytes start uninitialised, as a C local's do.
/// A buffer larger than a kernel stack (24 KB) is KernelStackOverflow.
/// </summary>
public sealed class LOCAL_BUFFER : IDisposable
{
    /// <summary>The kernel stack size of x64 Windows (<c>KERNEL_STACK_SIZE</c>): no local can be larger.</summary>
    public const int KernelStackSize = 24 * 1024;

    private readonly Allocation storage;

    /// <summary>A stack buffer of <paramref name="size"/> bytes.</summary>
    public LOCAL_BUFFER(int size) : this(size < 0 ? nuint.MaxValue : (nuint)size, size < 0) { }

    /// <summary>A stack buffer of <paramref name="size"/> bytes.</summary>
    public LOCAL_BUFFER(nuint size) : this(size, negative: false) { }

    private LOCAL_BUFFER(nuint size, bool negative)
    {
        var runtime = AmbientRuntime.Current;
        Name = $"LOCAL_BUFFER#{ObjectIds.Next()}";
        if (negative || size > KernelStackSize)
        {
            runtime.Verifier.Report(Rules.KernelStackOverflow, "LOCAL_BUFFER", Name,
                negative ? "a stack buffer cannot have a negative size"
                    : $"a {size}-byte local is larger than the {KernelStackSize}-byte kernel stack; allocate it from pool");
            size = negative ? 0 : (nuint)KernelStackSize;
        }
        Size = size;
        storage = new Allocation(runtime, new Storage((int)size), 0, (int)size, $"stack buffer {Name} ({size} bytes)");
        storage.RawBytes.Fill(MemoryPatterns.Uninitialized);
    }

    /// <summary>"LOCAL_BUFFER#n".</summary>
    public string Name { get; }

    /// <summary>The buffer's size in bytes (C's <c>sizeof(buffer)</c>).</summary>
    public nuint Size { get; }

    /// <summary>The buffer as a pointer (C's <c>buffer</c> or <c>&amp;buffer[0]</c>).</summary>
    public PVOID Address => new(storage, 0);

    /// <summary>The end of the <c>using</c> scope: the storage dies (DRV040 if a request still pends over it).</summary>
    public void Dispose()
    {
        if (storage.End is not null)
        {
            return;
        }
        if (storage.PendingRequestUses > 0)
        {
            storage.Runtime.Verifier.Report(Rules.PreallocatedBufferFreedWhilePending, "LOCAL_BUFFER.Dispose", Name,
                $"the stack buffer goes out of scope while a request sent asynchronously over it (WdfMemoryCreatePreallocated) is still pending; " +
                "the target would write into a dead stack frame: send it synchronously or use pool");
        }
        storage.TryEnd(new EndReason(Rules.StackBufferOutOfScope, $"the stack buffer {Name} went out of scope (its using block ended)"));
    }

    /// <summary>"LOCAL_BUFFER#n (64 bytes)".</summary>
    public override string ToString() => $"{Name} ({Size} bytes)";
}
