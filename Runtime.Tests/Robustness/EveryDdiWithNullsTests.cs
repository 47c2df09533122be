using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using DriverBuffers.Hosting;
using Xunit;
using static DriverBuffers.Wdf;
using static DriverBuffers.Wdm;

namespace DriverBuffers.Runtime.Tests.Robustness;

/// <summary>
/// Every public DDI of <see cref="Wdf"/> and <see cref="Wdm"/> (found by reflection, so a new DDI is covered when it
/// is added) called with nulls and default values, and with empty structures, from 8 threads at once: the only
/// exceptions allowed are the verifier's <see cref="WdfViolationException"/> and a raised status
/// (<see cref="NtStatusException"/>, C's <c>ExRaiseStatus</c>). A required parameter that is null is a violation
/// (KMDF's bug check 0x10D/0x4), never a <see cref="NullReferenceException"/>.
/// </summary>
public class EveryDdiWithNullsTests
{
    private const int Threads = 8;

    /// <summary>A context type for the generic DDIs.</summary>
    public sealed class SAMPLE_CONTEXT
    {
        public int Value;
    }

    public static IEnumerable<MethodInfo> Ddis() =>
        new[] { typeof(Wdf), typeof(Wdm) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName)
            .Select(m => m.IsGenericMethodDefinition
                ? m.MakeGenericMethod(m.GetGenericArguments().Select(_ => typeof(SAMPLE_CONTEXT)).ToArray())
                : m);

    [Fact]
    public void There_are_DDIs_to_call_and_the_whole_driver_surface_is_among_them()
    {
        var names = Ddis().Select(m => m.Name).ToHashSet();

        Assert.True(Ddis().Count() > 200, $"only {Ddis().Count()} DDIs found");
        Assert.Subset(names, new HashSet<string> { "WdfDriverCreate", "WdfDeviceCreate", "WdfIoQueueCreate", "WdfTimerCreate",
            "WdfRequestMarkCancelableEx", "WdfSpinLockAcquire", "KeAcquireSpinLock", "IoCallDriver", "IoCreateDevice",
            "ExInitializeNPagedLookasideList", "RtlCopyUnicodeString", "WdfObjectGetTypedContext", "ExAllocatePoolZero" });
    }

    /// <summary>What the DDIs are given.</summary>
    public enum Arguments
    {
        /// <summary>Null for every reference, default for every value (null handles).</summary>
        NullsAndDefaults,
        /// <summary>As above, but a new empty instance for every structure that has a public constructor.</summary>
        EmptyStructures,
        /// <summary>Live objects of the thread's own (a request the driver owns, a device, a queue, memory, pool, an IRP, ...) for every handle and object parameter, empty structures otherwise.</summary>
        LiveObjects,
    }

    [Theory]
    [InlineData(true, Arguments.NullsAndDefaults)]
    [InlineData(false, Arguments.NullsAndDefaults)]
    [InlineData(true, Arguments.EmptyStructures)]
    [InlineData(false, Arguments.EmptyStructures)]
    [InlineData(true, Arguments.LiveObjects)]
    [InlineData(false, Arguments.LiveObjects)]
    public void Every_DDI_called_from_8_threads_raises_only_violations_or_statuses(bool verifierEnabled, Arguments arguments)
    {
        using var host = new DriverHost(verifierEnabled: verifierEnabled);
        var manual = host.AddQueue();
        host.EvtIoRead = (queue, request, length) => WdfRequestForwardToIoQueue(request, manual);
        for (int i = 0; i < Threads; i++)
        {
            host.Read(64);
        }
        var ddis = Ddis().ToArray();
        var failures = new ConcurrentBag<string>();
        int calls = 0;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                host.Run(() =>
                {
                    var live = arguments == Arguments.LiveObjects ? LiveObjects(host, manual) : new Dictionary<Type, object>();
                    foreach (var ddi in ddis.Skip(index * 7).Concat(ddis.Take(index * 7)))
                    {
                        Call(ddi, arguments != Arguments.NullsAndDefaults, live, failures);
                        Interlocked.Increment(ref calls);
                    }
                });
            }
            catch (Exception unexpected)
            {
                failures.Add($"thread {index}: {unexpected}");
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a DDI blocked");
        }

        var distinct = failures.Distinct().OrderBy(f => f).ToArray();
        Assert.True(distinct.Length == 0, string.Join(Environment.NewLine, distinct));
        Assert.Equal(Threads * ddis.Length, calls);
        Assert.NotEmpty(host.Violations);
    }

    /// <summary>One thread's own live objects, by the parameter type they are passed as.</summary>
    private static Dictionary<Type, object> LiveObjects(DriverHost host, WDFQUEUE manual)
    {
        var live = new Dictionary<Type, object>();
        Assert.Equal(STATUS_SUCCESS, WdfIoQueueRetrieveNextRequest(manual, out var request));
        live[typeof(WDFREQUEST)] = request;
        live[typeof(IRP)] = WdfRequestWdmGetIrp(request);
        live[typeof(WDFDEVICE)] = host.Device;
        live[typeof(WDFQUEUE)] = host.Queue;
        live[typeof(WDFIOTARGET)] = host.LowerTarget.Handle;
        live[typeof(WDFDRIVER)] = new WDFDRIVER(host.Runtime.Driver);
        live[typeof(DEVICE_OBJECT)] = WdfDeviceWdmGetDeviceObject(host.Device);
        live[typeof(DRIVER_OBJECT)] = host.Runtime.DriverObject;
        live[typeof(WDFDEVICE_INIT)] = new WDFDEVICE_INIT(host.Runtime, null);
        WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x31747354, 64, out var memory, out PVOID buffer);
        live[typeof(WDFMEMORY)] = memory;
        WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x31747354, 64, out var other, NULL);
        live[typeof(WDFOBJECT)] = (WDFOBJECT)other;
        var pool = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 0x31747354);
        live[typeof(PVOID)] = pool;
        live[typeof(PMDL)] = IoAllocateMdl(buffer, 64, FALSE, FALSE, NULL);
        WdfLookasideListCreate(WDF_NO_OBJECT_ATTRIBUTES, 32, NonPagedPoolNx, WDF_NO_OBJECT_ATTRIBUTES, 0x31747354, out var lookaside);
        live[typeof(WDFLOOKASIDE)] = lookaside;
        WDF_OBJECT_ATTRIBUTES_INIT(out var parented);
        parented.ParentObject = host.Device;
        WDF_TIMER_CONFIG_INIT(out var timerConfig, t => { });
        WdfTimerCreate(timerConfig, parented, out var timer);
        live[typeof(WDFTIMER)] = timer;
        WDF_WORKITEM_CONFIG_INIT(out var workConfig, w => { });
        WdfWorkItemCreate(workConfig, parented, out var workItem);
        live[typeof(WDFWORKITEM)] = workItem;
        WDF_DPC_CONFIG_INIT(out var dpcConfig, d => { });
        WdfDpcCreate(dpcConfig, parented, out var dpc);
        live[typeof(WDFDPC)] = dpc;
        WdfSpinLockCreate(WDF_NO_OBJECT_ATTRIBUTES, out var spinLock);
        live[typeof(WDFSPINLOCK)] = spinLock;
        WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, out var waitLock);
        live[typeof(WDFWAITLOCK)] = waitLock;
        KeInitializeSpinLock(out var kernelLock);
        live[typeof(KSPIN_LOCK)] = kernelLock;
        RtlInitUnicodeString(out var name, @"\Device\Live");
        live[typeof(UNICODE_STRING)] = name;
        ExInitializeNPagedLookasideList(out var list, NULL, NULL, 0, 16, 0x31747354, 0);
        live[typeof(NPAGED_LOOKASIDE_LIST)] = list;
        return live;
    }

    private static void Call(MethodInfo ddi, bool emptyStructures, Dictionary<Type, object> live, ConcurrentBag<string> failures)
    {
        var arguments = ddi.GetParameters().Select(p => Argument(p, emptyStructures, live)).ToArray();
        try
        {
            ddi.Invoke(null, arguments);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is WdfViolationException or NtStatusException)
        {
            // The verifier's report, or a status raised as C's ExRaiseStatus would: both are the runtime's answer.
        }
        catch (TargetInvocationException wrapped)
        {
            var raw = wrapped.InnerException!;
            failures.Add($"{ddi.DeclaringType!.Name}.{ddi.Name}({string.Join(", ", ddi.GetParameters().Select(p => p.ParameterType.Name))}): " +
                $"{raw.GetType().Name}: {raw.Message} at {raw.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }
        finally
        {
            KeLowerIrql(PASSIVE_LEVEL);
        }
    }

    /// <summary>
    /// A live object of the parameter's type if there is one; else null for references and default for values; with
    /// <paramref name="emptyStructures"/>, a new instance where one can be made.
    /// </summary>
    private static object? Argument(ParameterInfo parameter, bool emptyStructures, Dictionary<Type, object> live)
    {
        var type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
        if (parameter.IsOut)
        {
            return null;
        }
        if (live.TryGetValue(Nullable.GetUnderlyingType(type) ?? type, out var value))
        {
            return value;
        }
        if (type.IsValueType)
        {
            return Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }
        if (emptyStructures && !typeof(Delegate).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is { } constructor)
        {
            return constructor.Invoke(null);
        }
        return null;
    }
}
