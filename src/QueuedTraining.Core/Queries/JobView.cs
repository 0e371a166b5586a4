using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Queries;

/// <summary>A job as every surface shows it: the stored job, its place in line and why it waits.</summary>
/// <param name="Job">The stored job.</param>
/// <param name="QueuePosition">Its place in its pool's queue, 1 at the head, while it waits.</param>
/// <param name="WaitReason">Why it waits, while it waits.</param>
/// <param name="Reason">The reason in words: why it waits, or the job's own last reason.</param>
public sealed record JobView(QueuedJob Job, long? QueuePosition, WaitReason? WaitReason, string? Reason)
{
    /// <summary>When it is expected to start, while it waits and a forecast reaches it; otherwise null.</summary>
    public ExpectedStart? ExpectedStart { get; init; }
    /// <summary>
    /// How many more times the job may be preempted (<see cref="QueueOptions.MaxPreemptionsPerJob"/> less
    /// <see cref="QueuedJob.Preemptions"/>); null when there is no limit or the job has finished.
    /// </summary>
    public int? PreemptionsLeft { get; init; }

    /// <summary>
    /// The <see cref="ReasonCatalog"/> code of <see cref="Reason"/>: why it waits, or the rule it was preempted under
    /// while it gives way; null otherwise.
    /// </summary>
    public string? ReasonCode { get; init; }

    /// <summary>The priority it waits with (its priority plus what aging adds), while it waits; otherwise null.</summary>
    public int? EffectivePriority { get; init; }
}

/// <summary>One page of <see cref="JobView"/>s in queue order.</summary>
/// <param name="Jobs">The jobs.</param>
/// <param name="NextPageToken">The token for the next page; null on the last one.</param>
public sealed record JobViewPage(IReadOnlyList<JobView> Jobs, string? NextPageToken);

/// <summary>One pool's instances.</summary>
/// <param name="InstanceType">The pool.</param>
/// <param name="Capacity">Its configured instances.</param>
/// <param name="Used">Instances held by its jobs.</param>
/// <param name="Free">Instances nothing holds.</param>
public sealed record PoolCapacity(string InstanceType, int Capacity, int Used, int Free);

/// <summary>What would happen if a job were submitted now; nothing of it is stored.</summary>
/// <param name="Job">The job as it would be queued.</param>
/// <param name="QueuePosition">Its place in its pool's queue, 1 at the head.</param>
/// <param name="ExpectedStart">When it would be expected to start, if a forecast reaches it.</param>
/// <param name="Preempts">The running jobs the scheduler would preempt for it at once, if any.</param>
public sealed record WhatIfView(QueuedJob Job, long QueuePosition, ExpectedStart? ExpectedStart, IReadOnlyList<string> Preempts)
{
    /// <summary>Every preemption for it in the replay of the expected start's <c>likely</c> end, at once and later.</summary>
    public IReadOnlyList<ExpectedPreemption> Preemptions { get; init; } = [];
}

/// <summary>A running job that would give way to a what-if submission.</summary>
/// <param name="Name">The job.</param>
/// <param name="At">When, in the replay.</param>
/// <param name="LostInstanceHours">Its instances × the hours since its newest checkpoint seen now, or since its attempt started when it has none: the work the preemption would lose.</param>
public sealed record ExpectedPreemption(string Name, DateTimeOffset At, double LostInstanceHours);
