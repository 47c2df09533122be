using System;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The work budget of one analysis (a body, or a helper's summary): every block visit, root operation transfer, operation
/// step and fact-map entry joined costs one unit. Past the budget <see cref="WorkBudgetExceededException"/> ends the
/// analysis; <see cref="BodyRunner"/> and <see cref="SummaryCache{TSummary}"/> catch it, give up silently and count it in
/// <see cref="EngineTelemetry.BodiesOverBudget"/>. The meter of the running analysis is ambient (per thread): the solver
/// and the lattice charge it without every domain passing it along. Units also go to the session's telemetry.
/// </summary>
internal sealed class WorkMeter : IDisposable
{
    /// <summary>The default budget of one body: far above what a linear analysis of a 10,000-statement method needs.</summary>
    public const long DefaultBudget = 1_000_000;

    [ThreadStatic]
    private static WorkMeter? _current;

    private readonly WorkMeter? _outer;
    private readonly long _budget;
    private readonly EngineTelemetry _telemetry;

    private WorkMeter(long budget, EngineTelemetry telemetry)
    {
        _outer = _current;
        _budget = budget <= 0 ? long.MaxValue : budget;
        _telemetry = telemetry;
        _current = this;
    }

    /// <summary>Units spent so far.</summary>
    public long Spent { get; private set; }

    /// <summary>Starts metering on this thread (nested meters restore the outer one when disposed).</summary>
    public static WorkMeter Start(long budget, EngineTelemetry telemetry) => new(budget, telemetry);

    public static void Blocks(long count)
    {
        if (_current is { } meter)
        {
            meter._telemetry.AddBlocks(count);
            meter.Charge(count);
        }
    }

    public static void Operations(long count)
    {
        if (_current is { } meter)
        {
            meter._telemetry.AddOperations(count);
            meter.Charge(count);
        }
    }

    public static void Steps(long count)
    {
        if (_current is { } meter)
        {
            meter._telemetry.AddSteps(count);
            meter.Charge(count);
        }
    }

    public static void JoinEntries(long count)
    {
        if (_current is { } meter && count > 0)
        {
            meter._telemetry.AddJoinEntries(count);
            meter.Charge(count);
        }
    }

    public void Dispose()
    {
        if (ReferenceEquals(_current, this))
        {
            _current = _outer;
        }
    }

    private void Charge(long units)
    {
        Spent += units;
        if (Spent > _budget)
        {
            throw new WorkBudgetExceededException();
        }
    }
}

/// <summary>Thrown by <see cref="WorkMeter"/> when an analysis goes over its budget; never escapes the engine.</summary>
internal sealed class WorkBudgetExceededException : Exception
{
    public WorkBudgetExceededException()
        : base("The analysis of this body went over its work budget.")
    {
    }
}
