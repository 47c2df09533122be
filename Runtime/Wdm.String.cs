using System;
using System.Text;
using DriverBuffers.Framework;
using DriverBuffers.Memory;

namespace DriverBuffers;

/// <summary>Counted strings (<c>UNICODE_STRING</c>).</summary>
public static partial class Wdm
{
    /// <summary>
    /// Points <paramref name="DestinationString"/> at <paramref name="SourceString"/>'s characters (C passes a
    /// string literal; the buffer lives as long as the program): <c>Length</c> is its bytes, <c>MaximumLength</c>
    /// two more for the terminating NUL. A null source gives an empty string with a NULL buffer.
    /// </summary>
    public static void RtlInitUnicodeString(out UNICODE_STRING DestinationString, string? SourceString) =>
        DestinationString = RTL_CONSTANT_STRING(SourceString);

    /// <summary>
    /// <see cref="RtlInitUnicodeString(out UNICODE_STRING, string?)"/> over a NUL-terminated string in driver
    /// memory: the characters are read (checked) up to the NUL; NULL gives an empty string.
    /// </summary>
    public static void RtlInitUnicodeString(out UNICODE_STRING DestinationString, PVOID SourceString)
    {
        DestinationString = new UNICODE_STRING();
        if (SourceString == NULL)
        {
            return;
        }
        nuint length = 0;
        while (length < MaxUnicodeStringBytes && SourceString.Read<char>(length) != '\0')
        {
            length += 2;
        }
        DestinationString.Set(SourceString, (ushort)length, (ushort)(length + 2));
    }

    /// <summary>
    /// Copies <paramref name="SourceString"/>'s characters into <paramref name="DestinationString"/>'s buffer (at
    /// most its <c>MaximumLength</c>), sets its <c>Length</c> and NUL-terminates it when there is room. A null source
    /// makes the destination empty. Use it to keep the <c>RegistryPath</c> of <c>DriverEntry</c> (DRV046).
    /// </summary>
    public static void RtlCopyUnicodeString(UNICODE_STRING DestinationString, UNICODE_STRING? SourceString)
    {
        if (!RequiredParameter.Present(DestinationString, nameof(RtlCopyUnicodeString), nameof(DestinationString)))
        {
            return;
        }
        if (SourceString is null)
        {
            DestinationString.Length = 0;
            return;
        }
        ushort count = Math.Min(SourceString.Length, DestinationString.MaximumLength);
        count &= 0xFFFE;
        PointerOperations.Copy(DestinationString.Buffer, SourceString.Buffer, count, nameof(RtlCopyUnicodeString));
        DestinationString.Length = count;
        if (count + 2 <= DestinationString.MaximumLength)
        {
            (DestinationString.Buffer + (nuint)count).Write<char>(0, '\0');
        }
    }

    /// <summary>
    /// C's <c>RTL_CONSTANT_STRING(L"...")</c> (and <c>DECLARE_CONST_UNICODE_STRING</c>): a string over a copy of
    /// <paramref name="text"/> that lives as long as the program.
    /// </summary>
    public static UNICODE_STRING RTL_CONSTANT_STRING(string? text) => ConstantString(AmbientRuntime.Current, text);

    /// <summary>A string over a copy of <paramref name="text"/> in memory of <paramref name="runtime"/>.</summary>
    internal static UNICODE_STRING ConstantString(DriverRuntime runtime, string? text, string storageName = "string literal")
    {
        var result = new UNICODE_STRING();
        if (text is null)
        {
            return result;
        }
        var bytes = Encoding.Unicode.GetBytes(text + "\0");
        int length = Math.Min(bytes.Length - 2, (int)MaxUnicodeStringBytes);
        var storage = new Allocation(runtime, new Storage(bytes), 0, bytes.Length, storageName);
        result.Set(new PVOID(storage, 0), (ushort)length, (ushort)Math.Min(length + 2, ushort.MaxValue));
        return result;
    }

    /// <summary>The longest text a UNICODE_STRING counts (its lengths are 16-bit byte counts).</summary>
    private const nuint MaxUnicodeStringBytes = 0xFFFC;
}
