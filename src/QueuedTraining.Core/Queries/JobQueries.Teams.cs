using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Core.Queries;

public sealed partial class JobQueries
{
    /// <summary>
    /// With teams, why a waiting job waits: a job behind others of its pool may still be next in its team, so the read
    /// plans the pool as the scheduler would (its look-ahead of waiting jobs, the holders, the teams' usage) and answers
    /// the plan's reason. A job beyond the look-ahead waits behind the jobs ahead of it. The jobs of one answer (a listing
    /// page) share one plan per pool through <c>plans</c>; null plans anew.
    /// </summary>
    private async Task<WaitReason> TeamWaitReasonAsync(QueuedJob job, long ahead, QueueOptions options, DateTimeOffset now, Dictionary<string, Task<PlannedPool>>? plans, CancellationToken cancellationToken)
    {
        if (ahead >= options.LookAhead)
        {
            return new WaitReason(WaitReasonCode.BehindInQueue, job.InstanceType, ahead, Team: job.Team);
        }

        Task<PlannedPool> planning;
        if (plans is null)
        {
            planning = PlanPoolAsync(job.InstanceType, options, now, cancellationToken);
        }
        else if (!plans.TryGetValue(job.InstanceType, out planning!))
        {
            planning = PlanPoolAsync(job.InstanceType, options, now, cancellationToken);
            plans[job.InstanceType] = planning;
        }

        var plan = await planning.ConfigureAwait(false);
        if (plan.Plan.Waits.FirstOrDefault(w => w.Job.Name == job.Name) is { } wait)
        {
            return wait.Reason with { Ahead = ahead };
        }

        var capacity = options.Capacity[job.InstanceType];
        return plan.Plan.Starts.Any(s => s.Name == job.Name)
            ? new WaitReason(WaitReasonCode.StartsNextPass, job.InstanceType, ahead, capacity, plan.Holding.Sum(h => h.InstanceCount), Team: job.Team)
            : new WaitReason(WaitReasonCode.BehindInQueue, job.InstanceType, ahead, Team: job.Team);
    }

    /// <summary>What the scheduler would plan for the pool now, from a fresh read, without recording usage.</summary>
    private async Task<PlannedPool> PlanPoolAsync(
        string instanceType, QueueOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var holding = await _store.GetHoldingCapacityAsync(instanceType, cancellationToken).ConfigureAwait(false);
        var waiting = await _store.GetWaitingAsync(instanceType, options.LookAhead, cancellationToken).ConfigureAwait(false);
        var snapshot = AsPlanned(options, instanceType, options.Capacity[instanceType], holding, waiting, waiting.Count < options.LookAhead, now);
        return new PlannedPool(NewPlanner(options).Plan(snapshot, now), snapshot.Holding, waiting, snapshot.Teams!);
    }

    /// <summary>
    /// Each team's standing in each pool: its quota and lending, the instances it holds, how many of them are above its
    /// quota, how much of its idle quota others hold, its waiting jobs among the pool's look-ahead, and its decayed usage.
    /// Empty when no teams are configured.
    /// </summary>
    public async Task<IReadOnlyList<TeamStanding>> GetTeamsAsync(CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        var standings = new List<TeamStanding>();
        if (!options.HasTeams)
        {
            return standings;
        }

        var now = _time.GetUtcNow();
        foreach (var pool in options.Capacity.Keys.Order(StringComparer.Ordinal))
        {
            var (_, holding, waiting, teams) = await PlanPoolAsync(pool, options, now, cancellationToken).ConfigureAwait(false);
            standings.AddRange(TeamStandings.Of(pool, options.Capacity[pool], holding, waiting, teams));
        }

        return standings;
    }
}

/// <summary>What the scheduler would plan for a pool, with the reads the plan rests on.</summary>
internal sealed record PlannedPool(PoolPlan Plan, IReadOnlyList<QueuedJob> Holding, IReadOnlyList<QueuedJob> Waiting, PoolTeams Teams);
