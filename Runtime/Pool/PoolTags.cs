using System.Text;

namespace DriverBuffers.Pool;

/// <summary>Pool tag helpers: tags are four characters stored little-endian in a <c>ULONG</c>.</summary>
internal static class PoolTags
{
    /// <summary>The tag <c>ExAllocatePool</c> and <c>ExAllocatePoolWithQuota</c> use: 'None'.</summary>
    public const uint None = 0x656E6F4E;

    public static string ToText(uint tag)
    {
        var text = new StringBuilder(4);
        for (int i = 0; i < 4; i++)
        {
            var c = (char)((tag >> (8 * i)) & 0xFF);
            text.Append(c >= ' ' && c < 127 ? c : '?');
        }
        return text.ToString();
    }
}
