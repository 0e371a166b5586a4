namespace QueuedTraining.Core.Planning;

/// <summary>What a team lets others do with the part of its quota it does not use, per pool.</summary>
public enum LendingMode
{
    /// <summary>Others may borrow its idle quota, and it may borrow theirs up to its borrow limit. The default.</summary>
    LendAndBorrow,

    /// <summary>Others may borrow its idle quota; above its quota it may use only the shared remainder.</summary>
    Lend,

    /// <summary>Its idle quota stays idle, waiting for its own jobs; above its quota it may use only the shared remainder.</summary>
    Reserve,
}
