using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// Replays <see cref="KueueScaleTrace"/> four times in one run, each through a fresh store: with the policy before
/// issue 16 (lowest priority, most recently started, victims taken in order without pruning: the baseline), and with
/// each <see cref="VictimOrdering"/> of <see cref="PriorityPreemptionPolicy"/> as it is now (victims pruned). The trace gives jobs checkpoint settings: 70 % save every 5, 10 or 30 minutes, the rest never. Checkpoint
/// times come from a reader that knows each job's saving period, read through the engine's own cache as S3 would be.
/// Two more replays keep the default order and turn on checkpoint-aligned preemption
/// (<see cref="QueueOptions.PreemptionCheckpointGrace"/> of 5 and 10 minutes), the cache learning each job's period.
/// Three more replays give the saves drift (<see cref="CheckpointSaveSchedule.Drifting"/>): the baseline, the default
/// order and the default order with a grace of 5 minutes, because a real job's saves do not come exactly on schedule.
/// Reports the preemptions of each, the work they cost, in instance-hours, and how long jobs waited.
/// </summary>
internal sealed class PreemptionCostScenario : IBenchmarkScenario
{
    private const string Bucket = "bench-checkpoints";
    private static readonly int[] PeriodsSeconds = [300, 600, 1800];
    private static readonly int[] GraceMinutes = [5, 10];
    private const int DriftGraceMinutes = 5;

    public string Name => "preemption-cost";

    public string Description => "work lost to preemption over the 15,000-job trace: checkpoint-aware victims against the previous order";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var count = context.Quick ? 3_000 : 15_000;
        var trace = KueueScaleTrace.Generate(count, seed: 15_000);
        var periods = CheckpointPeriods(trace, seed: 16);
        var baseline = await ReplayAsync(context, "preemption-cost-before", trace, periods, new PolicyBeforeIssue16(), cancellationToken);
        var previousOrderPruned = await ReplayAsync(context, "preemption-cost-previous-order-pruned", trace, periods, new PriorityPreemptionPolicy(VictimOrdering.MostRecentlyStarted), cancellationToken);
        var checkpointAware = await ReplayAsync(context, "preemption-cost-after", trace, periods, new PriorityPreemptionPolicy(), cancellationToken);
        var unsavedOnly = await ReplayAsync(context, "preemption-cost-unsaved-only", trace, periods, new PriorityPreemptionPolicy(VictimOrdering.LeastUnsavedTime), cancellationToken);
        var aligned = new Dictionary<int, Outcome>();
        foreach (var minutes in GraceMinutes)
        {
            aligned[minutes] = await ReplayAsync(context, Formats.Invariant($"preemption-cost-aligned-{minutes}"), trace, periods, new PriorityPreemptionPolicy(), cancellationToken, TimeSpan.FromMinutes(minutes));
        }

        var drifting = CheckpointSaveSchedule.Drifting;
        var driftBaseline = await ReplayAsync(context, "preemption-cost-drift-before", trace, periods, new PolicyBeforeIssue16(), cancellationToken, schedule: drifting);
        var driftDefault = await ReplayAsync(context, "preemption-cost-drift-after", trace, periods, new PriorityPreemptionPolicy(), cancellationToken, schedule: drifting);
        var driftAligned = await ReplayAsync(context, Formats.Invariant($"preemption-cost-drift-aligned-{DriftGraceMinutes}"), trace, periods, new PriorityPreemptionPolicy(), cancellationToken, TimeSpan.FromMinutes(DriftGraceMinutes), drifting);

        var ratio = baseline.WorkLostHours == 0 ? "—" : Formats.Invariant($"{checkpointAware.WorkLostHours / baseline.WorkLostHours:0.00}×");
        var figures = new List<BenchmarkFigure>
        {
            new(Name, Formats.Invariant($"preemptions ({count:N0} jobs)"), Formats.Count(checkpointAware.Preemptions), Formats.Count(baseline.Preemptions), "—", "reported", null),
            new(Name, "work lost to preemption (instance-hours)", Formats.Invariant($"{checkpointAware.WorkLostHours:0.0}"), Formats.Invariant($"{baseline.WorkLostHours:0.0}"), ratio, "lower than before", checkpointAware.WorkLostHours < baseline.WorkLostHours),
            new(Name, "uncheckpointed jobs preempted", Formats.Count(checkpointAware.UncheckpointedVictims), Formats.Count(baseline.UncheckpointedVictims), "—", "reported", null),
            new(Name, "work lost, LeastUnsavedTime order (instance-hours)", Formats.Invariant($"{unsavedOnly.WorkLostHours:0.0}"), Formats.Invariant($"{baseline.WorkLostHours:0.0}"), baseline.WorkLostHours == 0 ? "—" : Formats.Invariant($"{unsavedOnly.WorkLostHours / baseline.WorkLostHours:0.00}×"), "reported", null),
            new(Name, "preemptions, LeastUnsavedTime order", Formats.Count(unsavedOnly.Preemptions), Formats.Count(baseline.Preemptions), "—", "reported", null),
            new(Name, "work lost, MostRecentlyStarted order pruned (instance-hours)", Formats.Invariant($"{previousOrderPruned.WorkLostHours:0.0}"), Formats.Invariant($"{baseline.WorkLostHours:0.0}"), baseline.WorkLostHours == 0 ? "—" : Formats.Invariant($"{previousOrderPruned.WorkLostHours / baseline.WorkLostHours:0.00}×"), "reported", null),
            new(Name, "preemptions, MostRecentlyStarted order pruned", Formats.Count(previousOrderPruned.Preemptions), Formats.Count(baseline.Preemptions), "—", "reported", null),
            new(Name, "uncheckpointed jobs preempted, LeastUnsavedTime order", Formats.Count(unsavedOnly.UncheckpointedVictims), Formats.Count(baseline.UncheckpointedVictims), "—", "reported", null),
            new(Name, "work lost by checkpointed victims (instance-hours)", Formats.Invariant($"{checkpointAware.CheckpointedWorkLostHours:0.0}"), Formats.Invariant($"{baseline.CheckpointedWorkLostHours:0.0}"), "—", "reported", null),
            new(Name, "job wait, mean / p95 (minutes)", Formats.Invariant($"{checkpointAware.MeanWaitMinutes:0.0} / {checkpointAware.P95WaitMinutes:0.0}"), Formats.Invariant($"{baseline.MeanWaitMinutes:0.0} / {baseline.P95WaitMinutes:0.0}"), "—", "reported", null),
            new(Name, "preemptors' wait, mean / p95 (minutes)", Formats.Invariant($"{checkpointAware.PreemptorMeanWaitMinutes:0.0} / {checkpointAware.PreemptorP95WaitMinutes:0.0}"), Formats.Invariant($"{baseline.PreemptorMeanWaitMinutes:0.0} / {baseline.PreemptorP95WaitMinutes:0.0}"), "—", "reported", null),
        };
        foreach (var (minutes, outcome) in aligned)
        {
            var label = Formats.Invariant($"checkpoint grace {minutes} min");
            figures.Add(new(Name, Formats.Invariant($"work lost, {label} (instance-hours)"), Formats.Invariant($"{outcome.WorkLostHours:0.0}"), Formats.Invariant($"{baseline.WorkLostHours:0.0}"), baseline.WorkLostHours == 0 ? "—" : Formats.Invariant($"{outcome.WorkLostHours / baseline.WorkLostHours:0.00}×"), "reported", null));
            figures.Add(new(Name, Formats.Invariant($"work lost by checkpointed victims, {label} (instance-hours)"), Formats.Invariant($"{outcome.CheckpointedWorkLostHours:0.0}"), Formats.Invariant($"{baseline.CheckpointedWorkLostHours:0.0}"), "—", "reported", null));
            figures.Add(new(Name, Formats.Invariant($"preemptions, {label}"), Formats.Count(outcome.Preemptions), Formats.Count(baseline.Preemptions), "—", "reported", null));
            figures.Add(new(Name, Formats.Invariant($"job wait mean / p95, {label} (minutes)"), Formats.Invariant($"{outcome.MeanWaitMinutes:0.0} / {outcome.P95WaitMinutes:0.0}"), Formats.Invariant($"{baseline.MeanWaitMinutes:0.0} / {baseline.P95WaitMinutes:0.0}"), "—", "reported", null));
            figures.Add(new(Name, Formats.Invariant($"preemptors' wait mean / p95, {label} (minutes)"), Formats.Invariant($"{outcome.PreemptorMeanWaitMinutes:0.0} / {outcome.PreemptorP95WaitMinutes:0.0}"), Formats.Invariant($"{baseline.PreemptorMeanWaitMinutes:0.0} / {baseline.PreemptorP95WaitMinutes:0.0}"), "—", "reported", null));
        }

        foreach (var (label, outcome) in new[] { ("drifting saves, baseline", driftBaseline), ("drifting saves, default order", driftDefault), (Formats.Invariant($"drifting saves, checkpoint grace {DriftGraceMinutes} min"), driftAligned) })
        {
            figures.Add(new(Name, Formats.Invariant($"work lost, {label} (instance-hours)"), Formats.Invariant($"{outcome.WorkLostHours:0.0}"), Formats.Invariant($"{driftBaseline.WorkLostHours:0.0}"), driftBaseline.WorkLostHours == 0 ? "—" : Formats.Invariant($"{outcome.WorkLostHours / driftBaseline.WorkLostHours:0.00}×"), "reported", null));
            figures.Add(new(Name, Formats.Invariant($"work lost by checkpointed victims, {label} (instance-hours)"), Formats.Invariant($"{outcome.CheckpointedWorkLostHours:0.0}"), Formats.Invariant($"{driftBaseline.CheckpointedWorkLostHours:0.0}"), "—", "reported", null));
            figures.Add(new(Name, Formats.Invariant($"preemptions, {label}"), Formats.Count(outcome.Preemptions), Formats.Count(driftBaseline.Preemptions), "—", "reported", null));
            figures.Add(new(Name, Formats.Invariant($"checkpointed victims preempted with a save overdue, {label}"), Formats.Count(outcome.OverdueVictims), Formats.Count(driftBaseline.OverdueVictims), "—", "reported", null));
            figures.Add(new(Name, Formats.Invariant($"job wait mean / p95, {label} (minutes)"), Formats.Invariant($"{outcome.MeanWaitMinutes:0.0} / {outcome.P95WaitMinutes:0.0}"), Formats.Invariant($"{driftBaseline.MeanWaitMinutes:0.0} / {driftBaseline.P95WaitMinutes:0.0}"), "—", "reported", null));
            figures.Add(new(Name, Formats.Invariant($"preemptors' wait mean / p95, {label} (minutes)"), Formats.Invariant($"{outcome.PreemptorMeanWaitMinutes:0.0} / {outcome.PreemptorP95WaitMinutes:0.0}"), Formats.Invariant($"{driftBaseline.PreemptorMeanWaitMinutes:0.0} / {driftBaseline.PreemptorP95WaitMinutes:0.0}"), "—", "reported", null));
        }

        var details = new List<string>
        {
            Formats.Invariant($"The trace of the trace scenario (seed 15,000); {periods.Values.Count(p => p is not null) * 100.0 / count:0}% of jobs checkpoint, every 5, 10 or 30 minutes (seed 16)."),
            "Baseline: the policy before issue 16 (lowest priority, then most recently started, taken in order: VictimOrder.TakeInOrder without pruning); new: PriorityPreemptionPolicy() with the default, checkpoint-aware order, victims pruned. Same trace, same run, fresh stores.",
            "A further replay keeps the previous order but prunes victims (PriorityPreemptionPolicy(VictimOrdering.MostRecentlyStarted)), to tell what pruning saves from what the order saves.",
            "Work lost per preemption: instance-seconds since the victim's last checkpoint (or its attempt start), as the scheduler records it on the attempt; checkpoint times reach it through CheckpointCache (refresh every minute), as S3's would.",
            "A third replay orders victims by unsaved time alone (VictimOrdering.LeastUnsavedTime), without putting uncheckpointed jobs last within a priority.",
            "Checkpoint-aligned replays: the default order with PreemptionCheckpointGrace of 5 and 10 minutes; periods are learnt by CheckpointCache from successive reads.",
            Formats.Invariant($"Drifting replays: each gap between saves uniform within ±{drifting.Jitter:P0} of the job's period and {drifting.SkipChance:P0} of saves skipped (seeded per job and attempt); ratios against the baseline replayed with the same drifting saves. A save is overdue at a preemption when more than the job's period has passed since its last save."),
            "Job wait: per finished job, the time from submission to its end less the time its attempts ran; preemptors are the jobs some preemption was made for.",
            Formats.Invariant($"Simulated span: before {baseline.Simulated.TotalDays:0.00} days, previous order pruned {previousOrderPruned.Simulated.TotalDays:0.00} days, after {checkpointAware.Simulated.TotalDays:0.00} days, unsaved-time order {unsavedOnly.Simulated.TotalDays:0.00} days, {string.Join(", ", aligned.Select(a => Formats.Invariant($"grace {a.Key} min {a.Value.Simulated.TotalDays:0.00} days")))}; drifting saves: before {driftBaseline.Simulated.TotalDays:0.00} days, default order {driftDefault.Simulated.TotalDays:0.00} days, grace {DriftGraceMinutes} min {driftAligned.Simulated.TotalDays:0.00} days."),
        };
        return new ScenarioResult(figures, details);
    }

    private static Dictionary<string, int?> CheckpointPeriods(IReadOnlyList<TraceJob> trace, int seed)
    {
        var random = new Random(seed);
        return trace.ToDictionary(job => job.Name, _ => random.NextDouble() < 0.7 ? PeriodsSeconds[random.Next(PeriodsSeconds.Length)] : (int?)null, StringComparer.Ordinal);
    }

    private static async Task<Outcome> ReplayAsync(BenchmarkContext context, string folder, IReadOnlyList<TraceJob> trace, Dictionary<string, int?> periods, ISchedulingPolicy policy, CancellationToken cancellationToken, TimeSpan? checkpointGrace = null, CheckpointSaveSchedule? schedule = null)
    {
        schedule ??= CheckpointSaveSchedule.Exact;
        await using var rig = new SchedulerRig(
            context.NewFolder(folder),
            new Dictionary<string, int>(KueueScaleTrace.Capacity),
            stopGracePeriod: TimeSpan.FromSeconds(30),
            policy,
            r => new PeriodicCheckpoints(r, schedule));
        rig.Options.PreemptionCheckpointGrace = checkpointGrace ?? TimeSpan.Zero;
        var replay = await TraceReplayScenario.ReplayAsync(rig, trace, cancellationToken, job =>
        {
            var request = KueueScaleTrace.Request(job);

            // The trace names team "vision", which its submitter is no member of since teams were added; no team shares
            // are configured here, so the team changes nothing but the submission being refused.
            request.Tags?.RemoveAll(tag => tag.Key == rig.Options.TeamTagKey);
            if (periods[job.Name] is { } period)
            {
                request.CheckpointConfig = new CheckpointConfig { S3Uri = Formats.Invariant($"s3://{Bucket}/{job.Name}/{period}/") };
            }

            return request;
        });

        double lost = 0;
        double lostByCheckpointed = 0;
        var uncheckpointed = 0;
        var overdue = 0;
        var waits = new Dictionary<string, double>(StringComparer.Ordinal);
        var preemptors = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await rig.Store.ListAsync(new JobListQuery(State: null, PageSize: 1_000, token), cancellationToken);
            foreach (var job in page.Jobs)
            {
                var costs = job.Attempts.Where(a => a.WorkLostInstanceSeconds is not null).ToList();
                lost += costs.Sum(a => a.WorkLostInstanceSeconds!.Value);
                uncheckpointed += job.CheckpointS3Uri is null ? costs.Count : 0;
                lostByCheckpointed += job.CheckpointS3Uri is null ? 0 : costs.Sum(a => a.WorkLostInstanceSeconds!.Value);
                overdue += periods[job.Name] is { } period ? CountOverdue(job, TimeSpan.FromSeconds(period), schedule) : 0;
                if (job.EndedAt is { } ended)
                {
                    var ran = job.Attempts.Sum(a => ((a.EndedAt ?? ended) - a.StartedAt).TotalMinutes);
                    waits[job.Name] = (ended - job.EnqueuedAt).TotalMinutes - ran;
                }

                foreach (var entry in job.History.Where(e => e.State == JobState.Preempting && e.Reason.StartsWith(PreemptedFor, StringComparison.Ordinal)))
                {
                    preemptors.Add(entry.Reason[PreemptedFor.Length..entry.Reason.IndexOf(' ', PreemptedFor.Length)]);
                }
            }

            token = page.NextPageToken;
        }
        while (token is not null);

        BenchmarkLog.Write(Formats.Invariant($"{folder}: {replay.Totals.Preempted:N0} preemptions, {lost / 3600:0.0} instance-hours lost, {overdue:N0} with a save overdue"));
        var preemptorWaits = waits.Where(w => preemptors.Contains(w.Key)).Select(w => w.Value).ToList();
        return new Outcome(replay.Totals.Preempted, lost / 3600, uncheckpointed, replay.Simulated)
        {
            CheckpointedWorkLostHours = lostByCheckpointed / 3600,
            MeanWaitMinutes = waits.Count == 0 ? 0 : waits.Values.Average(),
            P95WaitMinutes = Percentile95(waits.Values),
            PreemptorMeanWaitMinutes = preemptorWaits.Count == 0 ? 0 : preemptorWaits.Average(),
            PreemptorP95WaitMinutes = Percentile95(preemptorWaits),
            OverdueVictims = overdue,
        };
    }

    /// <summary>
    /// How many of <paramref name="job"/>'s preemptions came while its next save was overdue: more than its period had
    /// passed since its last save (or attempt start) at the decision. Preempted attempts and the preemptions recorded in the
    /// history are taken in the same order. With exact saves none is.
    /// </summary>
    private static int CountOverdue(QueuedJob job, TimeSpan period, CheckpointSaveSchedule schedule)
    {
        var decisions = job.History.Where(e => e.State == JobState.Preempting).Select(e => e.At).ToList();
        var preempted = job.Attempts.Where(a => a.WorkLostInstanceSeconds is not null).ToList();
        var count = 0;
        for (var i = 0; i < Math.Min(decisions.Count, preempted.Count); i++)
        {
            var start = preempted[i].StartedAt;
            var last = schedule.NewestSave(job.Name, period, start, decisions[i]) ?? start;
            count += decisions[i] - last > period ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// The policy before issue 16, kept here as the baseline: jobs of strictly lower priority, the most recently started
    /// first, taken in order until enough instances are freed, with no pruning of victims the later ones make unneeded.
    /// </summary>
    private sealed class PolicyBeforeIssue16 : ISchedulingPolicy
    {
        public IReadOnlyList<QueuedJob> ChooseVictims(QueuedJob candidate, int instancesNeeded, IReadOnlyList<QueuedJob> running, DateTimeOffset now) =>
            VictimOrder.TakeInOrder(VictimOrder.MostRecentlyStartedFirst(running.Where(job => job.Priority < candidate.Priority)), instancesNeeded);
    }

    private const string PreemptedFor = "preempted for ";

    private static double Percentile95(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1];
    }

    private sealed record Outcome(int Preemptions, double WorkLostHours, int UncheckpointedVictims, TimeSpan Simulated)
    {
        public double CheckpointedWorkLostHours { get; init; }

        public double MeanWaitMinutes { get; init; }

        public double P95WaitMinutes { get; init; }

        public double PreemptorMeanWaitMinutes { get; init; }

        public double PreemptorP95WaitMinutes { get; init; }

        public int OverdueVictims { get; init; }
    }

    /// <summary>
    /// Stands in for S3: a job saves every period (the last segment of its location, in seconds) from the start of its
    /// current attempt, exactly or drifting as <paramref name="schedule"/> says; its newest checkpoint is the last save before now.
    /// </summary>
    private sealed class PeriodicCheckpoints(SchedulerRig rig, CheckpointSaveSchedule schedule) : ICheckpointReader
    {
        public bool CanRead => true;

        public async Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken)
        {
            var parts = s3Uri[$"s3://{Bucket}/".Length..].TrimEnd('/').Split('/');
            var job = await rig.Store.GetAsync(parts[0], cancellationToken);
            if (job?.CurrentAttempt is not { } attempt)
            {
                return null;
            }

            var period = TimeSpan.FromSeconds(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            return schedule.NewestSave(parts[0], period, attempt.StartedAt, rig.Time.GetUtcNow());
        }
    }
}
