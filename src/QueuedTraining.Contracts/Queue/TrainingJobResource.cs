using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.Queue;

/// <summary>A queued training job as the HTTP API v1 shows it.</summary>
public sealed class TrainingJobResource
{
    /// <summary>The job's name as the user gave it; it never changes across attempts.</summary>
    public required string Name { get; init; }

    /// <summary>Who submitted the job.</summary>
    public required string Owner { get; init; }

    /// <summary>
    /// The team whose share the job runs in: its owner's team, or the one its team tag names; <c>default</c> when neither.
    /// Null from a queue that predates teams.
    /// </summary>
    public string? Team { get; init; }

    /// <summary>Where the job stands.</summary>
    public required JobState State { get; init; }

    /// <summary>Higher runs first.</summary>
    public required int Priority { get; init; }

    /// <summary>The instance type (the capacity pool) the job runs on.</summary>
    public required string InstanceType { get; init; }

    /// <summary>How many instances of the pool the job holds while it runs.</summary>
    public required int InstanceCount { get; init; }

    /// <summary>When the job entered the queue; a preempted job keeps it.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>When the job last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>1 for the next job of its pool to start, while it waits; otherwise null.</summary>
    public long? QueuePosition { get; init; }

    /// <summary>Why the job waits, was preempted, stopped or failed.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// The stable code of <see cref="Reason"/> from the queue's reason catalog (for example <c>BehindInQueue</c>,
    /// <c>WaitingForMinimumRuntime</c>, <c>PreemptedForHigherPriority</c>) while the job waits or gives way; null otherwise
    /// and from services that do not say.
    /// </summary>
    public string? ReasonCode { get; init; }

    /// <summary>
    /// While the job waits: the priority it waits with, its priority plus what aging adds for its wait (equal to
    /// <see cref="Priority"/> when aging is off); otherwise null.
    /// </summary>
    public int? EffectivePriority { get; init; }

    /// <summary>
    /// While the job waits: when it is expected to start, as a range with what the range rests on; null for a job that is
    /// not waiting, too far back in line to forecast, or that cannot start in its pool.
    /// </summary>
    public ExpectedStartResource? ExpectedStart { get; init; }

    /// <summary>The SageMaker job name of the current (or last) attempt.</summary>
    public string? CurrentAttemptName { get; init; }

    /// <summary>
    /// Where the current (or last) attempt writes its model: <c>&lt;S3OutputPath&gt;/&lt;attempt name&gt;/output/model.tar.gz</c>,
    /// as SageMaker lays it out; null before the first attempt. The first attempt runs under the job's own name, so
    /// this is usually the path a user expects; after a preemption the resumed attempt writes under its own name.
    /// </summary>
    public string? ModelArtifacts { get; init; }

    /// <summary>When the job reached its final state; null while it is not finished.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How many times the queue has preempted the job for a higher-priority one.</summary>
    public int Preemptions { get; init; }

    /// <summary>
    /// How many more times it may be preempted before the queue lets it run to its end; null when the queue sets no limit
    /// or the job has finished.
    /// </summary>
    public int? PreemptionsLeft { get; init; }

    /// <summary>
    /// The work the job's preemptions cost, in instance-seconds: for each preempted attempt the time since its last
    /// checkpoint (or since it started, without one) times its instances, summed over the attempts kept.
    /// </summary>
    public double WorkLostInstanceSeconds { get; init; }

    /// <summary>Each SageMaker job the queue started for this job, oldest first.</summary>
    public IReadOnlyList<JobAttemptResource> Attempts { get; init; } = [];

    /// <summary>
    /// What runs the job's attempts on this queue service: <see cref="QueueBackends.Simulated"/> (in the service's own
    /// process, so no SageMaker knows them) or <see cref="QueueBackends.SageMaker"/>; null from services that do not say.
    /// </summary>
    public string? Backend { get; init; }

    /// <summary>The scheduler's decisions about this job, oldest first (the latest ones are kept).</summary>
    public IReadOnlyList<JobHistoryEntryResource> History { get; init; } = [];
}

/// <summary>When a waiting job is expected to start, assuming no new higher-priority arrivals and no failures.</summary>
public sealed class ExpectedStartResource
{
    /// <summary>If the attempts ahead of it end as early as the shortest tenth of recent runs.</summary>
    public required DateTimeOffset Earliest { get; init; }

    /// <summary>If the attempts ahead of it take the median of recent runs.</summary>
    public required DateTimeOffset Likely { get; init; }

    /// <summary>If every attempt ahead of it runs to its MaxRuntimeInSeconds.</summary>
    public required DateTimeOffset Latest { get; init; }

    /// <summary>What the range rests on and assumes, in words.</summary>
    public required string Basis { get; init; }
}

/// <summary>One SageMaker job started for a queued job.</summary>
public sealed class JobAttemptResource
{
    /// <summary>1 for the first attempt.</summary>
    public required int Number { get; init; }

    /// <summary>The SageMaker training job name of this attempt.</summary>
    public required string SageMakerJobName { get; init; }

    /// <summary>When the attempt was started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, once it has.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The SageMaker status it ended in (or its current one).</summary>
    public string? Outcome { get; init; }

    /// <summary>SageMaker's failure reason, or why the queue ended it.</summary>
    public string? Reason { get; init; }

    /// <summary>For an attempt the queue preempted: the work that cost, in instance-seconds; otherwise null.</summary>
    public double? WorkLostInstanceSeconds { get; init; }
}

/// <summary>A decision or state change recorded on a job.</summary>
public sealed class JobHistoryEntryResource
{
    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The state the job entered.</summary>
    public required JobState State { get; init; }

    /// <summary>Why.</summary>
    public required string Reason { get; init; }
}

/// <summary>One page of jobs in queue order.</summary>
public sealed class JobPage
{
    /// <summary>The jobs on this page.</summary>
    public required IReadOnlyList<TrainingJobResource> Items { get; init; }

    /// <summary>Pass as <c>pageToken</c> to read the next page; null on the last page.</summary>
    public string? NextPageToken { get; init; }
}

/// <summary>The body of <c>PATCH /v1/jobs/{name}</c>.</summary>
public sealed class JobPatch
{
    /// <summary>The new priority: a JSON integer, never a string that looks like one.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public int? Priority { get; init; }
}

/// <summary>The instance pools and their use.</summary>
public sealed class CapacityResource
{
    /// <summary>One entry per configured instance type.</summary>
    public required IReadOnlyList<PoolCapacityResource> Pools { get; init; }
}

/// <summary>One pool of identical instances.</summary>
public sealed class PoolCapacityResource
{
    /// <summary>The instance type.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Instances the queue may use.</summary>
    public required int Capacity { get; init; }

    /// <summary>Instances held by starting, running or stopping jobs.</summary>
    public required int Used { get; init; }

    /// <summary>Instances free now.</summary>
    public required int Free { get; init; }
}
