using System;
using System.Threading;

namespace DriverBuffers.Runtime.Tests.TestSupport;

/// <summary>Runs code on a thread of its own (a different thread than the test's, as another processor would).</summary>
internal sealed class OtherThread<T>
{
    private readonly Thread thread;
    private T result = default!;
    private Exception? failure;

    private OtherThread(Func<T> work)
    {
        thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        }) { IsBackground = true };
    }

    public static OtherThread<T> Start(Func<T> work)
    {
        var other = new OtherThread<T>(work);
        other.thread.Start();
        return other;
    }

    /// <summary>Waits for the thread and returns its result (rethrowing what it threw).</summary>
    public T Join()
    {
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The other thread failed.", failure);
        }
        return result;
    }
}
