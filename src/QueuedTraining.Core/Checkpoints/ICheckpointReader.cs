namespace QueuedTraining.Core.Checkpoints;

/// <summary>Reads when a job last saved a checkpoint: the newest object under its <c>CheckpointConfig.S3Uri</c>.</summary>
internal interface ICheckpointReader
{
    /// <summary>True when the reader can answer at all; a host without S3 registers one that cannot.</summary>
    bool CanRead { get; }

    /// <summary>When the newest object under <paramref name="s3Uri"/> was last modified; null when there is none.</summary>
    Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken);
}

/// <summary>The reader of a host without S3 (the simulated backend): no job's checkpoints are known.</summary>
internal sealed class NoCheckpointReader : ICheckpointReader
{
    /// <inheritdoc />
    public bool CanRead => false;

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNewestAsync(string s3Uri, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);
}
