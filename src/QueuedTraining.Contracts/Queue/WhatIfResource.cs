namespace QueuedTraining.Contracts.Queue;

/// <summary>The answer of <c>POST /v1/what-if</c>: what would happen if the request were submitted now. Nothing is stored.</summary>
public sealed class WhatIfResource
{
    /// <summary>The job's name as it would be queued.</summary>
    public required string Name { get; init; }

    /// <summary>The priority it would have (from its priority tag).</summary>
    public required int Priority { get; init; }

    /// <summary>The pool it would wait in.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Its place in the pool's queue, 1 at the head.</summary>
    public required long QueuePosition { get; init; }

    /// <summary>When it would be expected to start; null when no forecast reaches it.</summary>
    public ExpectedStartResource? ExpectedStart { get; init; }

    /// <summary>The running jobs the scheduler would preempt for it at once.</summary>
    public IReadOnlyList<string> Preempts { get; init; } = [];

    /// <summary>
    /// Every preemption for it in the replay that gives its expected start (<c>likely</c>): those at once and those later,
    /// when it reaches the head of its queue, each with the work its victim would lose.
    /// </summary>
    public IReadOnlyList<WhatIfPreemptionResource> Preemptions { get; init; } = [];
}

/// <summary>A running job a what-if submission would preempt, when, and the work it would lose.</summary>
public sealed class WhatIfPreemptionResource
{
    /// <summary>The job that would give way.</summary>
    public required string Name { get; init; }

    /// <summary>When, in the replay that gives the expected start's <c>likely</c> end.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>
    /// Instances × hours since its newest checkpoint the queue has seen (or since its attempt started, when it has none):
    /// the work it would lose. Checkpoints it writes before then would make the loss smaller.
    /// </summary>
    public required double LostInstanceHours { get; init; }
}
