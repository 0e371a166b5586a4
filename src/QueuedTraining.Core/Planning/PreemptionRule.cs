namespace QueuedTraining.Core.Planning;

/// <summary>The rule that allowed a preemption; <see cref="ReasonCatalog"/> gives each a stable code and a sentence.</summary>
public enum PreemptionRule
{
    /// <summary>The job it made room for has strictly higher priority, and the victim was open to preemption.</summary>
    HigherPriority,

    /// <summary>
    /// The victim's team held instances above its quota that another team lent, and that team, now below its quota,
    /// takes them back whatever the victim's priority.
    /// </summary>
    ReclaimQuota,
}
