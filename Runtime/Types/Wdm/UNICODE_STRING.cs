using System;
using System.Text;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// C's <c>UNICODE_STRING</c>: a counted UTF-16 string. <see cref="Length"/> and <see cref="MaximumLength"/> are
/// byte counts; the characters live in <see cref="Buffer"/>, a checked <see cref="PVOID"/>. Set up with
/// <c>RtlInitUnicodeString</c> (over text) or by hand over driver memory, copied with <c>RtlCopyUnicodeString</c>.
/// The <c>RegistryPath</c> given to <c>DriverEntry</c> belongs to the I/O manager and dies when
/// <c>DriverEntry</c> returns: reading it, or its buffer, afterwards is DRV046 (keep a copy, not the pointer).
/// </summary>
public sealed class UNICODE_STRING
{
    private ushort length;
    private ushort maximumLength;
    private PVOID buffer;
    private EndReason? end;

    /// <summary>An empty string (C's <c>UNICODE_STRING s = { 0 };</c>): length 0, no buffer.</summary>
    public UNICODE_STRING() { }

    /// <summary>C's <c>Length</c>: the bytes of text in <see cref="Buffer"/>, without a terminating NUL.</summary>
    public ushort Length
    {
        get { CheckAlive("UNICODE_STRING.Length"); return length; }
        set { CheckAlive("UNICODE_STRING.Length"); length = value; }
    }

    /// <summary>C's <c>MaximumLength</c>: the bytes <see cref="Buffer"/> can hold.</summary>
    public ushort MaximumLength
    {
        get { CheckAlive("UNICODE_STRING.MaximumLength"); return maximumLength; }
        set { CheckAlive("UNICODE_STRING.MaximumLength"); maximumLength = value; }
    }

    /// <summary>C's <c>Buffer</c>: the characters.</summary>
    public PVOID Buffer
    {
        get { CheckAlive("UNICODE_STRING.Buffer"); return buffer; }
        set { CheckAlive("UNICODE_STRING.Buffer"); buffer = value; }
    }

    /// <summary>
    /// The text, for messages and test assertions (not a DDI: no checks, never a violation). A string whose
    /// owner freed it reads as "(freed)".
    /// </summary>
    public override string ToString()
    {
        if (end is not null)
        {
            return "(freed)";
        }
        var allocation = buffer.Allocation;
        if (allocation is null || length == 0)
        {
            return string.Empty;
        }
        int count = (int)Math.Min((nuint)length, allocation.BytesAvailableFrom(buffer.Offset)) & ~1;
        var bytes = new byte[count];
        lock (allocation.Storage.Gate)
        {
            allocation.RawBytes.Slice((int)buffer.Offset, count).CopyTo(bytes);
        }
        return Encoding.Unicode.GetString(bytes);
    }

    /// <summary>Ends the string and its buffer (the I/O manager frees <c>RegistryPath</c> after <c>DriverEntry</c>).</summary>
    internal void EndLife(EndReason reason)
    {
        end = reason;
        buffer.Allocation?.TryEnd(reason);
    }

    /// <summary>Fills the fields without checks (the runtime building a string).</summary>
    internal void Set(PVOID text, ushort textLength, ushort capacity)
    {
        buffer = text;
        length = textLength;
        maximumLength = capacity;
    }

    private void CheckAlive(string what)
    {
        if (end is { } reason)
        {
            var runtime = buffer.Allocation?.Runtime ?? Framework.AmbientRuntime.Current;
            runtime.Verifier.Report(reason.Rule, what, "UNICODE_STRING", reason.Detail);
        }
    }

    /// <summary>C's <c>NULL</c> for an optional string; only NULL converts.</summary>
    public static implicit operator UNICODE_STRING?(PVOID pointer) => NullOnly.Convert<UNICODE_STRING?>(pointer, null);
}
