namespace QueuedTraining.Core.Storage;

/// <summary>When a job update must be on disk.</summary>
/// <remarks>
/// Most of a busy queue's writes record what SageMaker already knows: an attempt that started, ran or ended.
/// Such a write can be lost in a machine crash without harm, because reconciliation describes every attempt
/// that holds capacity and re-applies what it finds. Letting those writes ride on the next durable commit
/// saves an fsync each, about half of the scheduler's. A store that makes every write durable (DynamoDB)
/// treats <see cref="Deferred"/> as <see cref="Immediate"/>.
/// </remarks>
public enum WriteDurability
{
    /// <summary>On disk before the write's task completes. Every decision the queue acts on (claims, preemptions,
    /// stops, priority changes) and every new job is written so.</summary>
    Immediate,

    /// <summary>
    /// Visible to every reader at once and never lost when the process crashes; on disk with the next immediate
    /// write or checkpoint, so a machine crash (power loss, kernel panic) can lose the latest deferred writes,
    /// never an immediate one. Only for what reconciliation can learn again from SageMaker.
    /// </summary>
    Deferred,
}
