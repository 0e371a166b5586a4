using System.Collections.Immutable;
using System.Text.Json.Serialization;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// A training job held by the queue: one item in a store, changed only by conditional writes that
/// compare <see cref="Version"/>. Immutable: a change is a copy made with <c>with</c>.
/// </summary>
public sealed record QueuedJob
{
    /// <summary>The most history entries kept on a job; older ones are dropped first.</summary>
    public const int MaxHistoryEntries = 50;

    /// <summary>
    /// The most attempts kept on a job; older ones are dropped first and numbering carries on. A job preempted
    /// again and again would otherwise grow without bound, and every write of it rewrites the whole list.
    /// </summary>
    public const int MaxAttemptsKept = 20;

    /// <summary>The user's training job name; unique in the queue and stable across attempts.</summary>
    public required string Name { get; init; }

    /// <summary>Who submitted the job (the authenticated principal).</summary>
    public required string Owner { get; init; }

    /// <summary>The team of a job whose owner has no team and whose request names none.</summary>
    public const string DefaultTeam = "default";

    private readonly string _team = DefaultTeam;

    /// <summary>
    /// The team whose share the job runs in, settled at submission; jobs stored before teams existed read as
    /// <see cref="DefaultTeam"/>. The source-generated reader sets a member missing from a stored body to null rather
    /// than leaving its initial value, so null and empty become <see cref="DefaultTeam"/> here.
    /// </summary>
    public string Team
    {
        get => _team;
        init => _team = string.IsNullOrEmpty(value) ? DefaultTeam : value;
    }

    /// <summary>Higher runs first.</summary>
    public required int Priority { get; init; }

    /// <summary>Where the job stands; it changes only through <see cref="JobLifecycle"/>.</summary>
    public JobState State { get; init; } = JobState.Pending;

    /// <summary>The pool the job runs in.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Instances of the pool the job holds while it runs.</summary>
    public required int InstanceCount { get; init; }

    /// <summary>When the job was first acknowledged; kept across preemptions so it resumes early.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>When the job last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// True once SageMaker answered that a job it did not create holds the user's name: every attempt then runs under a
    /// suffixed name (see <see cref="AttemptNames"/>).
    /// </summary>
    public bool OwnNameTaken { get; init; }

    /// <summary>When the job reached its final state; null while it is not finished.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>
    /// The minimum runtime the job's tag asked for (see <see cref="QueueOptions.MinimumRuntimeTagKey"/>), read once at
    /// submission like its priority so that no scheduling pass parses the request; null without the tag.
    /// </summary>
    public TimeSpan? RequestedMinimumRuntime { get; init; }

    /// <summary>
    /// The request's <c>CheckpointConfig.S3Uri</c>, read once at submission like its priority: where the job saves its
    /// work, so that a preempted attempt resumes from there. Null when the job does not checkpoint: stopping it loses
    /// everything its attempt did.
    /// </summary>
    public string? CheckpointS3Uri { get; init; }

    /// <summary>
    /// When the newest object under <see cref="CheckpointS3Uri"/> was written, as last observed. Not stored: the
    /// scheduler fills it from its checkpoint cache when it reads a snapshot, so the planner gets it as data. Null when
    /// nothing was observed.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? LastCheckpointAt { get; init; }

    /// <summary>
    /// How often the job saves a checkpoint, as observed: the time between the last newest objects seen under
    /// <see cref="CheckpointS3Uri"/>. Not stored, like <see cref="LastCheckpointAt"/>: the scheduler's checkpoint cache
    /// learns it and fills it in when it reads a snapshot. Null until two checkpoints were seen.
    /// </summary>
    [JsonIgnore]
    public TimeSpan? CheckpointPeriod { get; init; }

    /// <summary>The CreateTrainingJob body as submitted (compact JSON, every member kept).</summary>
    [JsonConverter(typeof(EmbeddedJsonConverter))]
    public required string RequestJson { get; init; }

    /// <summary>A digest of the normalised body: the same name with the same body is the same submission.</summary>
    public required string RequestHash { get; init; }

    /// <summary>The client's <c>Idempotency-Key</c>, if it sent one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Why the job waits, was preempted, stopped or failed.</summary>
    public string? Reason { get; init; }

    /// <summary>The job waits at least until then (backoff after SageMaker refused to start it).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>How many times in a row starting failed with a retryable error.</summary>
    public int StartFailures { get; init; }

    /// <summary>The SageMaker jobs started for this job, oldest first.</summary>
    public ImmutableList<JobAttempt> Attempts { get; init; } = [];

    /// <summary>The latest decisions and state changes, oldest first.</summary>
    public ImmutableList<JobHistoryEntry> History { get; init; } = [];

    /// <summary>
    /// The W3C <c>traceparent</c> of the submission when it was traced, so the scheduling pass that starts the job can link
    /// to it; null otherwise.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The store's version of the item; a write succeeds only against the version it read.</summary>
    public long Version { get; init; }

    /// <summary>The attempt started last, if any.</summary>
    [JsonIgnore]
    public JobAttempt? CurrentAttempt => Attempts.IsEmpty ? null : Attempts[^1];

    /// <summary>The number the next attempt gets: one more than the current one's, whatever was dropped.</summary>
    [JsonIgnore]
    public int NextAttemptNumber => (CurrentAttempt?.Number ?? 0) + 1;

    /// <summary>The SageMaker name of the current attempt, if any.</summary>
    [JsonIgnore]
    public string? CurrentAttemptName => CurrentAttempt?.SageMakerJobName;

    /// <summary>
    /// The job's place in its pool's queue, and in every listing: see <see cref="QueueOrderKey"/>. A finished job's key
    /// sorts after every unfinished one, newest end first.
    /// </summary>
    [JsonIgnore]
    public string QueueKey => State.IsTerminal()
        ? QueueOrderKey.Finished(EndedAt ?? UpdatedAt, Name)
        : QueueOrderKey.Create(Priority, EnqueuedAt, Name);

    /// <summary>
    /// How many times the queue has preempted this job, counted from its attempts rather than stored: a refused or
    /// vanished start leaves no attempt, so every attempt before the current one ended in a preemption, and the current
    /// one counts once its preemption is decided. Attempt numbers carry on when old attempts are dropped, so the count
    /// does too.
    /// </summary>
    [JsonIgnore]
    public int Preemptions => CurrentAttempt is not { } current ? 0
        : current.Number - 1 + (State is JobState.Preempting or JobState.Preempted ? 1 : 0);

    /// <summary>Instances this job holds from its pool right now.</summary>
    [JsonIgnore]
    public int HeldInstances => State.HoldsCapacity() ? InstanceCount : 0;

    /// <summary>Whether the job still waits out a back-off after a refused start at <paramref name="now"/>.</summary>
    public bool IsBackingOffAt(DateTimeOffset now) => NotBefore > now;

    /// <summary>Makes <paramref name="attempt"/> the current attempt, dropping the oldest beyond <see cref="MaxAttemptsKept"/>.</summary>
    public QueuedJob WithNewAttempt(JobAttempt attempt)
    {
        var attempts = Attempts.Add(attempt);
        if (attempts.Count > MaxAttemptsKept)
        {
            attempts = attempts.RemoveRange(0, attempts.Count - MaxAttemptsKept);
        }

        return this with { Attempts = attempts };
    }

    /// <summary>Replaces the current attempt with <paramref name="attempt"/>.</summary>
    public QueuedJob WithCurrentAttempt(JobAttempt attempt) =>
        this with { Attempts = Attempts.IsEmpty ? [attempt] : Attempts.SetItem(Attempts.Count - 1, attempt) };
}
