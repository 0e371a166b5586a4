using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Commands;

public sealed partial class JobCommands
{
    /// <summary>
    /// Queues a CreateTrainingJob request for <paramref name="owner"/>. The same name (or idempotency key)
    /// with the same body answers the job already queued, never a second one; with another body it throws
    /// <see cref="JobConflictException"/>. Invalid requests throw <see cref="JobValidationException"/> and store nothing.
    /// </summary>
    public Task<JobSubmitResult> SubmitAsync(
        string owner,
        CreateTrainingJobRequest request,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        SubmitAsync(new JobCaller(owner, IsOperator: false), request, idempotencyKey, cancellationToken);

    /// <summary>
    /// Queues a CreateTrainingJob request for <paramref name="caller"/>, who owns the job. A caller who is not an operator
    /// may not tag a priority above its ceiling (<see cref="QueueOptions.MaxPriorityFor(string, string)"/>), nor a
    /// team it may not act for.
    /// </summary>
    public async Task<JobSubmitResult> SubmitAsync(
        JobCaller caller,
        CreateTrainingJobRequest request,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        using var activity = Diagnostics.QueueTracing.Submit(request?.TrainingJobName);
        var job = Prepare(caller, request!, idempotencyKey) with { TraceParent = Diagnostics.QueueTracing.CurrentTraceParent() };
        var owner = job.Owner;
        var priority = job.Priority;
        var hash = job.RequestHash;
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            var previous = await _store.FindByIdempotencyKeyAsync(owner, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return previous.RequestHash == hash
                    ? new JobSubmitResult(previous, Created: false)
                    : throw new JobConflictException(previous, $"Idempotency key '{idempotencyKey}' was already used for training job '{previous.Name}' with a different request.", idempotencyKey);
            }
        }

        var added = await _store.AddAsync(job, cancellationToken).ConfigureAwait(false);
        if (!added.Added)
        {
            var existing = added.Job;
            if (existing.RequestHash == hash && existing.Owner == owner)
            {
                return new JobSubmitResult(existing, Created: false);
            }

            throw existing.Name == job.Name
                ? new JobConflictException(existing, $"A training job named '{existing.Name}' is already queued with a different request.")
                : new JobConflictException(existing, $"Idempotency key '{idempotencyKey}' was already used for training job '{existing.Name}' with a different request.", idempotencyKey);
        }

        LogQueued(job.Name, owner, priority, job.InstanceCount, job.InstanceType);
        _arrivals?.Record(added.Job);
        _signal.Signal(job.InstanceType);
        return new JobSubmitResult(added.Job, Created: true);
    }

    /// <summary>
    /// The job <paramref name="request"/> would become if <paramref name="caller"/> submitted it now, validated as a
    /// submission is, but not stored: a what-if answer starts from it.
    /// </summary>
    /// <exception cref="JobValidationException">The request is not one the queue accepts.</exception>
    public QueuedJob Preview(JobCaller caller, CreateTrainingJobRequest request) => Prepare(caller, request, idempotencyKey: null);

    private QueuedJob Prepare(JobCaller caller, CreateTrainingJobRequest request, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(caller.Principal);
        ArgumentNullException.ThrowIfNull(request);
        var owner = caller.Principal;
        var options = _options.CurrentValue;
        var errors = TrainingJobRequestValidator.Validate(request, options, out var priority, out var minimumRuntime);
        var (team, teamError) = TeamAssignment.Resolve(options, caller, request);
        if (errors.Count == 0 && teamError is not null)
        {
            errors = [teamError];
        }

        if (errors.Count == 0 && PriorityCeilingError(caller, priority, PriorityTagField(request, options), team) is { } tooHigh)
        {
            errors = [tooHigh];
        }

        if (errors.Count > 0)
        {
            throw new JobValidationException(errors);
        }

        var json = Serialize(request);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var now = _time.GetUtcNow();
        return JobLifecycle.Submitted(new QueuedJob
        {
            Name = request.TrainingJobName!,
            Owner = owner,
            Team = team,
            Priority = priority,
            RequestedMinimumRuntime = minimumRuntime,
            CheckpointS3Uri = string.IsNullOrEmpty(request.CheckpointConfig?.S3Uri) ? null : request.CheckpointConfig.S3Uri,
            InstanceType = request.ResourceConfig!.InstanceType!,
            InstanceCount = request.ResourceConfig.InstanceCount ?? 1,
            EnqueuedAt = now,
            UpdatedAt = now,
            RequestJson = json,
            RequestHash = hash,
            IdempotencyKey = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
        }, "submitted; waiting for the scheduler", now);
    }

    /// <summary>
    /// The request as it is stored. Members the queue does not model are kept as they came, and one may hold text that
    /// cannot be written back (a lone UTF-16 surrogate): that is the caller's mistake, refused before anything is stored.
    /// </summary>
    private static string Serialize(CreateTrainingJobRequest request)
    {
        try
        {
            return JsonSerializer.Serialize(request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        }
        catch (JsonException ex)
        {
            throw new JobValidationException([new FieldError(ProblemCodes.InvalidField, UnwritableField(request, ex.Path), "The request holds text that cannot be stored as JSON, such as a lone UTF-16 surrogate.")]);
        }
    }

    /// <summary>The member at fault as the caller wrote it: the serializer names the bag of unmodelled members instead.</summary>
    private static string UnwritableField(CreateTrainingJobRequest request, string? path)
    {
        const string Bag = nameof(CreateTrainingJobRequest.AdditionalMembers);
        var field = string.IsNullOrEmpty(path) ? string.Empty : path.TrimStart('$', '.');
        if (!field.EndsWith(Bag, StringComparison.Ordinal))
        {
            return field.Length == 0 ? "$" : field;
        }

        var parent = field[..^Bag.Length].TrimEnd('.');
        var member = parent.Length == 0 ? request.AdditionalMembers?.FirstOrDefault(m => !CanWrite(m.Value)).Key : null;
        return member ?? (parent.Length == 0 ? "$" : parent);
    }

    private static bool CanWrite(JsonElement value)
    {
        try
        {
            _ = JsonSerializer.Serialize(value, SageMakerJsonContext.Default.JsonElement);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string PriorityTagField(CreateTrainingJobRequest request, QueueOptions options) =>
        $"Tags[{request.Tags?.FindIndex(t => t.Key == options.PriorityTagKey) ?? -1}].Value";
}

/// <summary>The outcome of <see cref="JobCommands.SubmitAsync(JobCaller, CreateTrainingJobRequest, string?, CancellationToken)"/>.</summary>
/// <param name="Job">The queued job.</param>
/// <param name="Created">False when the submission repeated one already queued.</param>
public sealed record JobSubmitResult(QueuedJob Job, bool Created);
