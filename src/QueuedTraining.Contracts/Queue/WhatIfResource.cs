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
}
