namespace QueuedTraining.Core.Planning;

/// <summary>Which <see cref="VictimOrder"/> a <see cref="PriorityPreemptionPolicy"/> follows.</summary>
public enum VictimOrdering
{
    /// <summary>
    /// <see cref="VictimOrder.LeastWorkLostFirst"/>: within a priority, checkpointed jobs first (uncheckpointed ones only as
    /// a last resort), then the least unsaved time. The default.
    /// </summary>
    LeastWorkLost,

    /// <summary><see cref="VictimOrder.LeastUnsavedTimeFirst"/>: the least unsaved time, whether the job checkpoints or not.</summary>
    LeastUnsavedTime,

    /// <summary><see cref="VictimOrder.MostRecentlyStartedFirst"/>: the order before checkpoint-aware victims, for comparison.</summary>
    MostRecentlyStarted,
}
