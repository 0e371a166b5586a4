using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// How long an attempt of <paramref name="job"/> holds its instances in total, given that it has already held them for
/// <paramref name="elapsed"/>. A model must never answer more than the job's MaxRuntime, nor less than elapsed.
/// </summary>
internal delegate TimeSpan AttemptDuration(QueuedJob job, TimeSpan elapsed);

/// <summary>
/// Replays a pool forward in time through the real <see cref="QueuePlanner"/>, with no new arrivals and no failures:
/// at each moment an attempt ends (or a back-off runs out) its instances are freed and the planner says whom to start
/// and whom to preempt. The planner is the only place the start rule lives, so the forecast cannot drift from it.
/// Pure: the snapshot, the time and a duration model in, start times out.
/// </summary>
internal sealed partial class StartForecaster(QueuePlanner planner)
{
    private const string SimulatedReason = "forecast";

    /// <summary>
    /// The simulated start time of each waiting job of <paramref name="pool"/>, by name. A job missing from the answer
    /// never starts in the simulation (it needs more instances than the pool has, or the pool has none).
    /// </summary>
    /// <param name="pool">The pool as the scheduler sees it.</param>
    /// <param name="now">Where the replay starts.</param>
    /// <param name="duration">How long each attempt holds its instances.</param>
    /// <param name="onPreemption">Told of each preemption the replay applies, and when.</param>
    public IReadOnlyDictionary<string, DateTimeOffset> Simulate(PoolSnapshot pool, DateTimeOffset now, AttemptDuration duration, Action<Preemption, DateTimeOffset>? onPreemption = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(duration);
        var holders = new List<(QueuedJob Job, DateTimeOffset End)>(pool.Holding.Count);
        foreach (var holder in pool.Holding)
        {
            var started = holder.CurrentAttempt?.StartedAt ?? holder.UpdatedAt;
            var elapsed = now > started ? now - started : TimeSpan.Zero;
            holders.Add((holder, Later(started + duration(holder, elapsed), now)));
        }

        // Only jobs of the snapshot can be backing off: simulated starts are never refused.
        var backOffEnds = new Queue<DateTimeOffset>(pool.Waiting
            .Where(j => j.NotBefore > now)
            .Select(j => j.NotBefore!.Value)
            .Distinct()
            .Order());
        var line = new SimulatedLine(pool.Waiting);
        var starts = new Dictionary<string, DateTimeOffset>(pool.Waiting.Count, StringComparer.Ordinal);
        var time = now;
        while (true)
        {
            holders.RemoveAll(h => h.End <= time);
            PlanUntilIdle(pool, time, holders, line, starts, duration, onPreemption);
            if (line.Count == 0)
            {
                break;
            }

            while (backOffEnds.TryPeek(out var end) && end <= time)
            {
                backOffEnds.Dequeue();
            }

            var next = NextEvent(time, holders, backOffEnds);
            if (next is not { } at)
            {
                break;
            }

            time = at;
        }

        return starts;
    }

    /// <summary>
    /// Plans at one moment and applies the plan, again and again, until the planner proposes nothing more. Like the
    /// scheduler's pass, it shows the planner the jobs that can fit the free instances and the one that cannot, and the
    /// full look-ahead only when the plan asks for more.
    /// </summary>
    private void PlanUntilIdle(
        PoolSnapshot pool,
        DateTimeOffset time,
        List<(QueuedJob Job, DateTimeOffset End)> holders,
        SimulatedLine line,
        Dictionary<string, DateTimeOffset> starts,
        AttemptDuration duration,
        Action<Preemption, DateTimeOffset>? onPreemption)
    {
        while (true)
        {
            var holding = holders.ConvertAll(h => h.Job);
            var front = line.Front(planner.FirstReadSize(pool.Capacity, holding));
            var plan = planner.Plan(pool with { Holding = holding, Waiting = front, WaitingIsComplete = front.Count == line.Count }, time);
            if (plan.NeedsMoreWaiting)
            {
                front = line.Front(planner.Settings.LookAhead);
                plan = planner.Plan(pool with { Holding = holding, Waiting = front, WaitingIsComplete = front.Count == line.Count }, time);
            }

            if (plan.Starts.Count == 0 && plan.Preemptions.Count == 0)
            {
                return;
            }

            foreach (var job in plan.Starts)
            {
                starts.TryAdd(job.Name, time);
                line.Remove(job);
                var running = JobLifecycle.Move(
                    JobLifecycle.Move(job.WithNewAttempt(new JobAttempt(job.NextAttemptNumber, job.Name, time)), JobEvent.StartClaimed, SimulatedReason, time),
                    JobEvent.StartConfirmed,
                    SimulatedReason,
                    time);
                holders.Add((running, time + duration(running, TimeSpan.Zero)));
            }

            // A victim frees its instances at once and waits again in queue order; its next attempt runs in full
            // (no checkpoint is assumed), which errs towards later starts for the jobs behind it.
            foreach (var preemption in plan.Preemptions)
            {
                var index = holders.FindIndex(h => h.Job.Name == preemption.Victim.Name);
                if (index < 0)
                {
                    continue;
                }

                holders.RemoveAt(index);
                onPreemption?.Invoke(preemption, time);
                line.Return(JobLifecycle.Move(
                    JobLifecycle.Move(preemption.Victim, JobEvent.PreemptRequested, SimulatedReason, time),
                    JobEvent.AttemptStopped,
                    SimulatedReason,
                    time));
            }
        }
    }

    /// <summary>The next moment something can change: an attempt ends or a back-off runs out; null when nothing will.</summary>
    private static DateTimeOffset? NextEvent(DateTimeOffset time, List<(QueuedJob Job, DateTimeOffset End)> holders, Queue<DateTimeOffset> backOffEnds)
    {
        DateTimeOffset? next = backOffEnds.TryPeek(out var backOffEnd) ? backOffEnd : null;
        foreach (var (_, end) in holders)
        {
            if (end > time && (next is null || end < next))
            {
                next = end;
            }
        }

        return next;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
