using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Replicas.Tests;

/// <summary>
/// Replays SageMaker's recorded history in sequence order. A SageMaker job occupies its instances from its
/// create (the InProgress transition) until it is Completed, Failed or Stopped; Stopping still occupies them.
/// </summary>
internal sealed class HistoryCheck
{
    private HistoryCheck()
    {
    }

    /// <summary>Moments at which a pool had more instances running than its capacity.</summary>
    public List<string> CapacityViolations { get; } = [];

    /// <summary>Moments at which one queued job had two SageMaker attempts running.</summary>
    public List<string> OverlappingAttempts { get; } = [];

    /// <summary>Transitions of SageMaker jobs that no accepted CreateTrainingJob explains.</summary>
    public List<string> UnknownJobs { get; } = [];

    /// <summary>The most instances in use at once, per pool.</summary>
    public Dictionary<string, int> PeakUse { get; } = new(StringComparer.Ordinal);

    /// <summary>How many attempts of each queued job completed.</summary>
    public Dictionary<string, int> Completions { get; } = new(StringComparer.Ordinal);

    /// <summary>How many attempts SageMaker stopped (preemptions and cancellations of running jobs).</summary>
    public int StoppedAttempts { get; private set; }

    public static HistoryCheck Run(IReadOnlyList<SageMakerTransition> transitions, IEnumerable<SageMakerCall> calls, IReadOnlyDictionary<string, int> capacity)
    {
        var check = new HistoryCheck();
        var attempts = calls.Where(c => c.Operation == "CreateTrainingJob").ToDictionary(c => c.TrainingJobName, StringComparer.Ordinal);
        var use = capacity.Keys.ToDictionary(pool => pool, _ => 0, StringComparer.Ordinal);
        var running = new HashSet<string>(StringComparer.Ordinal);
        var runningPerQueuedJob = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pool in capacity.Keys)
        {
            check.PeakUse[pool] = 0;
        }

        foreach (var transition in transitions.OrderBy(t => t.Sequence))
        {
            if (!attempts.TryGetValue(transition.TrainingJobName, out var create) || create.InstanceType is null || create.QueuedJobName is null)
            {
                check.UnknownJobs.Add($"#{transition.Sequence} {transition.TrainingJobName} {transition.Status}");
                continue;
            }

            var pool = create.InstanceType;
            var queued = create.QueuedJobName;
            if (transition.Status == TrainingJobStatus.InProgress && running.Add(transition.TrainingJobName))
            {
                use[pool] += create.InstanceCount;
                check.PeakUse[pool] = Math.Max(check.PeakUse[pool], use[pool]);
                if (use[pool] > capacity[pool])
                {
                    check.CapacityViolations.Add($"#{transition.Sequence}: {transition.TrainingJobName} made {pool} use {use[pool]} > {capacity[pool]}");
                }

                runningPerQueuedJob[queued] = runningPerQueuedJob.GetValueOrDefault(queued) + 1;
                if (runningPerQueuedJob[queued] > 1)
                {
                    check.OverlappingAttempts.Add($"#{transition.Sequence}: {queued} runs {runningPerQueuedJob[queued]} attempts ({transition.TrainingJobName})");
                }
            }
            else if (TrainingJobStatus.IsTerminal(transition.Status) && running.Remove(transition.TrainingJobName))
            {
                use[pool] -= create.InstanceCount;
                runningPerQueuedJob[queued]--;
                if (transition.Status == TrainingJobStatus.Completed)
                {
                    check.Completions[queued] = check.Completions.GetValueOrDefault(queued) + 1;
                }
                else if (transition.Status == TrainingJobStatus.Stopped)
                {
                    check.StoppedAttempts++;
                }
            }
        }

        return check;
    }
}
