using QueuedTraining.Contracts;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Commands;

/// <summary>A submitted or changed job breaks a rule; nothing was stored.</summary>
public sealed class JobValidationException(IReadOnlyList<FieldError> errors)
    : QueuedTrainingException(errors.Count == 0 ? "The request is invalid." : errors[0].Message)
{
    /// <summary>Every rule the request breaks; the first is the headline.</summary>
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>A job of that name (or idempotency key) exists with a different body.</summary>
public sealed class JobConflictException(QueuedJob existing, string message, string? idempotencyKey = null) : QueuedTrainingException(message)
{
    /// <summary>The job that holds the name, or the idempotency key.</summary>
    public QueuedJob Existing { get; } = existing;

    /// <summary>The idempotency key that clashed, when the clash is on the key rather than the name.</summary>
    public string? IdempotencyKey { get; } = idempotencyKey;
}

/// <summary>No job of that name.</summary>
public sealed class JobNotFoundException(string name) : QueuedTrainingException($"No queued training job is named '{name}'.")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}

/// <summary>The job has ended and cannot change any more.</summary>
public sealed class JobFinishedException(QueuedJob job)
    : QueuedTrainingException($"Training job '{job.Name}' is {job.State.ToString().ToLowerInvariant()} and can no longer change.")
{
    /// <summary>The job.</summary>
    public QueuedJob Job { get; } = job;
}

/// <summary>The caller may not change a job it does not own.</summary>
public sealed class JobAccessDeniedException(string name, string caller)
    : QueuedTrainingException($"'{caller}' may not change training job '{name}', which another principal owns.");
