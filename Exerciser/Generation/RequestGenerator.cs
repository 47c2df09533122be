using System;
using System.Collections.Generic;

namespace DriverBuffers.Exercising.Generation;

/// <summary>
/// Generates the application's requests from a seed: reads, writes, IOCTLs and some internal IOCTLs (the driver's own
/// codes and unknown ones, in every transfer method), with lengths of zero, one, odd, page-sized and huge, and a behaviour of the
/// lower target for each. Request <c>n</c> depends only on the seed, <c>n</c> and the driver's codes.
/// </summary>
public sealed class RequestGenerator
{
    /// <summary>Lengths that break drivers: empty, one byte, odd, around a page, and a megabyte.</summary>
    public static readonly int[] InterestingLengths = { 0, 1, 3, 7, 13, 33, 255, 4095, 4096, 4097, 8192, 1 << 20 };

    private const int FileDeviceUnknown = 0x22;
    private readonly int seed;
    private readonly IReadOnlyList<uint> driverCodes;

    public RequestGenerator(int seed, IReadOnlyList<uint> driverCodes)
    {
        this.seed = seed;
        this.driverCodes = driverCodes;
    }

    public GeneratedRequest Generate(int number)
    {
        var random = new SplitMix(seed, stream: 1, number);
        var kind = random.Below(20) switch
        {
            < 6 => RequestKind.Read,
            < 10 => RequestKind.Write,
            < 19 => RequestKind.DeviceControl,
            _ => RequestKind.InternalDeviceControl,
        };
        bool control = kind is RequestKind.DeviceControl or RequestKind.InternalDeviceControl;
        uint code = control ? IoControlCode(ref random) : 0;
        return new GeneratedRequest(
            number,
            kind,
            Length: control ? 0 : Length(ref random),
            IoControlCode: code,
            InputLength: control ? Length(ref random) : 0,
            OutputLength: control ? Length(ref random) : 0,
            Fill: (byte)random.Below(256),
            Timing: random.Below(10) switch
            {
                < 4 => TargetTiming.AtOnce,
                < 6 => TargetTiming.Later,
                < 8 => TargetTiming.OnAnotherThread,
                _ => TargetTiming.SendFails,
            },
            Outcome: random.Below(10) switch
            {
                < 5 => TargetOutcome.Success,
                < 6 => TargetOutcome.Failure,
                < 8 => TargetOutcome.Busy,
                < 9 => TargetOutcome.TimedOut,
                _ => TargetOutcome.Canceled,
            },
            CancelIfPending: random.Chance(15));
    }

    /// <summary>
    /// Splits requests 0..<paramref name="count"/>-1 into driver sessions (load, start, requests, remove, unload) of
    /// one to eight consecutive requests, mostly short, so that checks made at unload run often.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> Sessions(int count)
    {
        var sessions = new List<IReadOnlyList<int>>();
        var random = new SplitMix(seed, stream: 2);
        for (int next = 0; next < count;)
        {
            int length = Math.Min(count - next, random.Pick(1, 1, 2, 3, 4, 8));
            var session = new int[length];
            for (int i = 0; i < length; i++)
            {
                session[i] = next++;
            }
            sessions.Add(session);
        }
        return sessions;
    }

    private static int Length(ref SplitMix random)
    {
        int length = random.Pick(InterestingLengths);
        // The megabyte is rare: it costs time and finds what 8192 finds in most drivers.
        return length == 1 << 20 && random.Chance(70) ? 64 : length;
    }

    /// <summary>The driver's codes most of the time; else an unknown code, or a driver code with another transfer method.</summary>
    private uint IoControlCode(ref SplitMix random)
    {
        int method = random.Below(4);
        if (driverCodes.Count > 0 && random.Chance(75))
        {
            return driverCodes[random.Below(driverCodes.Count)];
        }
        if (driverCodes.Count > 0 && random.Chance(50))
        {
            uint known = driverCodes[random.Below(driverCodes.Count)];
            return (known & ~3u) | (uint)method;
        }
        uint function = 0xF00u + (uint)random.Below(0x100);
        return ((uint)FileDeviceUnknown << 16) | (function << 2) | (uint)method;
    }
}
