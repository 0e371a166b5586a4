namespace QueuedTraining.Core.Planning;

/// <summary>The rule that allowed a preemption; <see cref="ReasonCatalog"/> gives each a stable code and a sentence.</summary>
public enum PreemptionRule
{
    /// <summary>The job it made room for has strictly higher priority, and the victim was open to preemption.</summary>
    HigherPriority,
}
