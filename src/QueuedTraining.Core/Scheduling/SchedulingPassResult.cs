namespace QueuedTraining.Core.Scheduling;

/// <summary>What one scheduling pass did.</summary>
/// <param name="Started">Jobs whose SageMaker job was created.</param>
/// <param name="Preempted">Running jobs asked to stop for a higher-priority one.</param>
/// <param name="Retry">True when a concurrent change interfered and another pass should follow soon.</param>
internal sealed record SchedulingPassResult(int Started, int Preempted, bool Retry)
{
    /// <summary>A pass that did nothing.</summary>
    public static SchedulingPassResult Idle { get; } = new(0, 0, false);

    /// <summary>Adds two results.</summary>
    public SchedulingPassResult Add(SchedulingPassResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Started + other.Started, Preempted + other.Preempted, Retry || other.Retry);
    }
}
