namespace QueuedTraining.Core.Planning;

/// <summary>Whether a pool preempts running jobs that have no <c>CheckpointConfig.S3Uri</c> (they lose all their work).</summary>
public enum UncheckpointedPreemption
{
    /// <summary>
    /// Only when jobs that checkpoint cannot make room: the victim order puts them last. The default, so that a pool of
    /// jobs that never checkpoint still honours priorities.
    /// </summary>
    LastResort,

    /// <summary>Never: such a job runs to its end once started, like one whose preemption budget is spent.</summary>
    Never,
}
