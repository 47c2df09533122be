using System;
using System.Linq;
using System.Reflection;
using System.Text;
using DriverBuffers.Exercising.Reporting;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Exercising.Tests.EndToEnd;

/// <summary>
/// Three WDK drivers ported whole (samples/WdkPorts): each does its job in the runtime's whole-driver host, and each
/// exercises clean under generated I/O with four application threads.
/// </summary>
public class WdkPortTests
{
    [Theory]
    [InlineData("EchoKmdf")]
    [InlineData("SioctlWdm")]
    public void The_port_exercises_clean(string port) => AssertExercisesClean(port);

    [Fact]
    public void The_filter_port_exercises_clean() => AssertExercisesClean("ToasterFilter");

    /// <summary>The clean run above sends the filter's own IOCTL, answered with the request the filter creates and reuses.</summary>
    [Fact]
    public void The_filter_ports_clean_run_sends_the_ioctl_it_answers_with_its_own_request()
    {
        const uint IOCTL_FILTER_QUERY_LOWER = 0x00222140;
        var driver = DriverBuffers.Exercising.Loading.DriverAssembly.Inspect(BuiltDrivers.Port("ToasterFilter"));
        var generator = new DriverBuffers.Exercising.Generation.RequestGenerator(7, driver.IoControlCodes);

        Assert.Contains(IOCTL_FILTER_QUERY_LOWER, driver.IoControlCodes);
        Assert.True(Enumerable.Range(0, 500).Count(n => generator.Generate(n).IoControlCode == IOCTL_FILTER_QUERY_LOWER) >= 10);
    }

    private static void AssertExercisesClean(string port)
    {
        var report = Exerciser.Run(new ExerciseOptions { Driver = BuiltDrivers.Port(port), Seed = 7, Requests = 500, Threads = 4 });

        Assert.Null(report.Error);
        Assert.Single(report.Drivers);
        Assert.True(report.Violations.Count == 0, string.Join(Environment.NewLine, report.Violations.Select(v => $"{v.Rule} {v.Location}: {v.Message}")));
        Assert.Empty(report.Notes);
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public void The_echo_driver_keeps_a_write_pending_until_its_timer_completes_it_and_reads_it_back()
    {
        using var host = Host("EchoKmdf");
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var write = host.Write([1, 2, 3, 4, 5]);
        Assert.False(write.IsCompleted);
        Assert.True(host.RunUntil(() => write.IsCompleted));
        var read = host.Read(8);
        Assert.True(host.RunUntil(() => read.IsCompleted));

        Assert.Equal(STATUS_SUCCESS, write.Status);
        Assert.Equal((nuint)5, read.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0, 0, 0 }, read.UserBuffer);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void The_echo_driver_completes_a_canceled_request_from_its_cancel_routine()
    {
        using var host = Host("EchoKmdf");
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var write = host.Write([9, 9]);
        Assert.True(write.Cancel());
        Assert.True(host.RunUntil(() => write.IsCompleted));

        Assert.Equal(STATUS_CANCELLED, write.Status);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void The_filter_forwards_device_control_requests_to_the_lower_driver_and_returns_its_answer()
    {
        using var host = Host("ToasterFilter");
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        host.LowerTarget.RespondWith(STATUS_SUCCESS, [7, 7, 7]);

        var result = host.DeviceIoControl(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS), [1], 4);
        Assert.True(host.RunUntil(() => result.IsCompleted));

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal(new byte[] { 7, 7, 7, 0 }, result.UserBuffer);
        Assert.Contains(host.LowerTarget.Received, r => r.IoControlCode == CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS));
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void The_filter_answers_its_own_ioctl_with_a_request_it_creates_and_reuses_for_each_caller()
    {
        using var host = Host("ToasterFilter");
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        host.LowerTarget.Mode = TargetCompletionMode.WhenPumped;
        host.LowerTarget.RespondWith(STATUS_SUCCESS, [1, 2, 3, 4, 5, 6]);
        const uint IOCTL_FILTER_QUERY_LOWER = 0x00222140;

        var first = host.DeviceIoControl(IOCTL_FILTER_QUERY_LOWER, null, 4);
        var second = host.DeviceIoControl(IOCTL_FILTER_QUERY_LOWER, null, 8);
        Assert.Equal(1, host.LowerTarget.PendingCount); // one request of its own: the second caller waits in the sequential queue
        Assert.Equal(2, host.LowerTarget.CompleteAll());

        Assert.Equal(STATUS_SUCCESS, first.Status);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, first.UserBuffer);
        Assert.Equal((nuint)6, second.Information);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 0, 0 }, second.UserBuffer);
        var sent = host.LowerTarget.Received;
        Assert.Equal(2, sent.Count);
        Assert.All(sent, r => Assert.Equal(IOCTL_FILTER_QUERY_LOWER, r.IoControlCode));
        Assert.Equal(sent[0].Request, sent[1].Request); // the same driver-created request, reused
        Assert.NotEqual(first.Request, sent[0].Request);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void The_filter_releases_the_callers_memory_when_its_own_request_cannot_be_sent()
    {
        using var host = Host("ToasterFilter");
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        host.LowerTarget.Mode = TargetCompletionMode.FailSend;
        host.LowerTarget.SendFailureStatus = STATUS_DEVICE_NOT_READY;

        var result = host.DeviceIoControl(0x00222140, null, 4);

        Assert.Equal(STATUS_DEVICE_NOT_READY, result.Status);
        Assert.Empty(host.Violations);
        Assert.True(host.Unload().IsClean);
    }

    [Theory]
    [InlineData(0x902u, METHOD_BUFFERED)]
    [InlineData(0x901u, METHOD_OUT_DIRECT)]
    [InlineData(0x903u, METHOD_NEITHER)]
    public void The_ioctl_driver_answers_each_transfer_method_with_its_message(uint function, uint method)
    {
        using var host = Host("SioctlWdm");
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());
        uint code = CTL_CODE(40000, function, method, FILE_ANY_ACCESS);

        var result = host.DeviceIoControl(code, Encoding.ASCII.GetBytes("hello"), 64);

        Assert.Equal(STATUS_SUCCESS, result.Status);
        Assert.Equal((nuint)38, result.Information);
        Assert.StartsWith("This String is from Device Driver !!!", Encoding.ASCII.GetString(result.UserBuffer), StringComparison.Ordinal);
        Assert.True(host.Unload().IsClean);
    }

    [Fact]
    public void The_ioctl_driver_refuses_an_output_buffer_too_small_for_its_message()
    {
        using var host = Host("SioctlWdm");
        Assert.Equal(STATUS_SUCCESS, host.LoadAndStart());

        var result = host.DeviceIoControl(CTL_CODE(40000, 0x902, METHOD_BUFFERED, FILE_ANY_ACCESS), [1], 37);

        Assert.Equal(STATUS_INVALID_PARAMETER, result.Status);
        Assert.True(host.Unload().IsClean);
    }

    /// <summary>A host for a port's driver, loaded once per test process (the ports keep no state in statics).</summary>
    private static WholeDriverHost Host(string port) => WholeDriverHost.ForAssembly(Assembly.LoadFrom(BuiltDrivers.Port(port)));
}
