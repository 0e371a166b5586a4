using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

/// <summary>The answer to <see cref="TrainingQueueClient.SubmitAsync"/>.</summary>
/// <param name="Job">The queued job.</param>
/// <param name="Created">
/// True when this call queued the job (<c>202 Accepted</c>); false when it repeated a submission the queue
/// already holds (<c>200 OK</c>) — for example a retry after a lost answer.
/// </param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> the submission carried on every attempt.</param>
public sealed record TrainingJobSubmission(TrainingJobResource Job, bool Created, string IdempotencyKey);
