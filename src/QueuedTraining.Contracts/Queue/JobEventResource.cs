namespace QueuedTraining.Contracts.Queue;

/// <summary>
/// One transition of a job on <c>GET /v1/events</c> (Server-Sent Events): the <c>data</c> of an event whose <c>id</c> is
/// <see cref="Id"/>. Sending that id back as <c>Last-Event-ID</c> resumes after it.
/// </summary>
public sealed class JobEventResource
{
    /// <summary>
    /// The event's id: when it happened (Unix milliseconds), the job's name and a counter, separated by <c>|</c>. Ids of a
    /// stream sort in the order events happened (ordinal comparison).
    /// </summary>
    public required string Id { get; init; }

    /// <summary>
    /// What happened: <c>submitted</c>, <c>started</c> (running), <c>preempted</c>, <c>completed</c>, <c>failed</c>,
    /// <c>stopped</c>, <c>cancelled</c>, the other states' names when a job enters them (<c>starting</c>, <c>preempting</c>,
    /// <c>stopping</c>, <c>pending</c> after a refused start), or <c>updated</c> when it stayed in its state (a priority change).
    /// </summary>
    public required string Type { get; init; }

    /// <summary>The job's name.</summary>
    public required string Job { get; init; }

    /// <summary>The state the job entered.</summary>
    public required JobState State { get; init; }

    /// <summary>Why (a preemption names the job it made room for).</summary>
    public required string Reason { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who owns the job.</summary>
    public required string Owner { get; init; }

    /// <summary>The job's pool.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Instances the job holds while it runs.</summary>
    public required int InstanceCount { get; init; }

    /// <summary>The job's priority when the event was read.</summary>
    public required int Priority { get; init; }
}
