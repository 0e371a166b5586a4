using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Core.Jobs;

/// <summary>A recorded decision or state change of a job.</summary>
/// <param name="At">When.</param>
/// <param name="State">The state the job entered.</param>
/// <param name="Reason">Why.</param>
public sealed record JobHistoryEntry(DateTimeOffset At, JobState State, string Reason);
