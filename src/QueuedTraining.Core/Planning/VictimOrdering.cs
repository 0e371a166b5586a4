namespace QueuedTraining.Core.Planning;

/// <summary>Which <see cref="VictimOrder"/> a <see cref="PriorityPreemptionPolicy"/> follows.</summary>
public enum VictimOrdering
{
    /// <summary><see cref="VictimOrder.LeastWorkLostFirst"/>: checkpointed jobs first, then the least work lost. The default.</summary>
    LeastWorkLost,

    /// <summary><see cref="VictimOrder.MostRecentlyStartedFirst"/>: the order before checkpoint-aware victims, for comparison.</summary>
    MostRecentlyStarted,
}
