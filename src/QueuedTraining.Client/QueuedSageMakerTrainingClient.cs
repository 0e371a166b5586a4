using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client;

/// <summary>
/// An <see cref="ISageMakerTrainingClient"/> that sends <c>CreateTrainingJob</c> to the QueuedTraining priority
/// queue instead of SageMaker, and keeps the launcher's other calls working while the job waits:
/// <list type="bullet">
/// <item><c>CreateTrainingJob</c> queues the request (<c>POST /v1/jobs</c>) with its priority tag and answers at once;</item>
/// <item><c>DescribeTrainingJob</c> of a queued job answers SageMaker-shaped under the user's job name (see <see cref="DescribeTrainingJobAsync"/>);</item>
/// <item><c>StopTrainingJob</c> of a queued job cancels it while it waits, or stops its running attempt, through the queue;</item>
/// <item><c>ListTrainingJobs</c> lists the queue's unfinished jobs before the inner client's jobs (see <see cref="ListTrainingJobsAsync"/>);</item>
/// <item>every other call, and Describe or Stop of a job the queue does not know, goes to the inner client untouched.</item>
/// </list>
/// </summary>
/// <remarks>
/// Through <see cref="ISageMakerTrainingClient"/> every failure is a <see cref="SageMakerException"/>, typed as the
/// queue's SageMaker-compatible endpoint answers the same refusal on the wire (see <see cref="ProblemSageMakerErrors"/>):
/// a name taken by another request is <see cref="SageMakerResourceInUseException"/>, an invalid request or stopping an
/// ended job <see cref="SageMakerValidationException"/>, another owner's job <c>AccessDeniedException</c>, the queue
/// unreachable after retries <see cref="SageMakerClientException"/>. The message is the queue's detail and
/// <see cref="Exception.InnerException"/> the queue's own <see cref="TrainingQueueException"/> (with its problem code
/// and field errors). <see cref="SubmitAsync"/>, a queue call, throws the <see cref="TrainingQueueException"/> itself.
/// Errors of the inner client pass as it throws them.
/// </remarks>
public sealed partial class QueuedSageMakerTrainingClient : ISageMakerTrainingClient
{
    // Remembers what this instance queued, so Describe can show the job's configuration while it waits.
    private const int RememberedRequestLimit = 512;

    private readonly ISageMakerTrainingClient _inner;
    private readonly TrainingQueueClient _queue;
    private readonly TrainingQueueClientOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CreateTrainingJobRequest> _submitted = new(StringComparer.Ordinal);

    /// <summary>Creates the decorator.</summary>
    /// <param name="inner">The client every call the queue does not handle goes to, usually the SageMaker client.</param>
    /// <param name="queue">The queue service client.</param>
    /// <param name="options">The priority tag key, default priority and the region and account written into ARNs.</param>
    /// <param name="logger">Receives pass-through decisions; none when null.</param>
    public QueuedSageMakerTrainingClient(
        ISageMakerTrainingClient inner,
        TrainingQueueClient queue,
        IOptions<TrainingQueueClientOptions> options,
        ILogger<QueuedSageMakerTrainingClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _queue = queue;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Queues the job instead of starting it, with the priority of its priority tag, or of
    /// <see cref="TrainingQueueClientOptions.DefaultPriority"/> when it has none.
    /// </summary>
    /// <param name="request">The request; it is not changed (the priority tag is written into a copy).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// <see cref="CreateTrainingJobResponse.TrainingJobArn"/> is the ARN SageMaker would give a job of the user's
    /// name (<c>arn:aws:sagemaker:{Region}:{AccountId}:training-job/{name}</c>, see
    /// <see cref="QueuedJobSageMakerView.Arn"/>). No SageMaker job of that name exists while the job waits: each
    /// attempt the queue starts runs under its own SageMaker name (<c>{name}-q{attempt}-{tag}</c>) and ARN. Pass the
    /// user's name to <see cref="DescribeTrainingJobAsync"/> and <see cref="StopTrainingJobAsync"/> as before.
    /// </returns>
    public Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        CreateTrainingJobAsync(request, null, cancellationToken);

    /// <summary>Queues the job with per-call settings; see <see cref="CreateTrainingJobAsync(CreateTrainingJobRequest, CancellationToken)"/>.</summary>
    /// <param name="request">The request; it is not changed (the priority tag is written into a copy).</param>
    /// <param name="submitOptions">The priority, which replaces the request's priority tag, and the idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ARN SageMaker would give a job of the user's name (see the other overload).</returns>
    /// <exception cref="SageMakerResourceInUseException">A job of that name is queued with a different request.</exception>
    /// <exception cref="SageMakerValidationException">The queue refused the request as invalid.</exception>
    public async Task<CreateTrainingJobResponse> CreateTrainingJobAsync(
        CreateTrainingJobRequest request,
        QueuedSubmitOptions? submitOptions,
        CancellationToken cancellationToken = default)
    {
        TrainingJobSubmission submission;
        try
        {
            submission = await SubmitAsync(request, submitOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (TrainingQueueException ex)
        {
            throw AsSageMakerException(ex);
        }

        return new CreateTrainingJobResponse { TrainingJobArn = ArnOf(submission.Job.Name) };
    }

    /// <summary>Queues the job like <c>CreateTrainingJob</c> and returns the queue's view of it.</summary>
    /// <param name="request">The request; it is not changed (the priority tag is written into a copy).</param>
    /// <param name="submitOptions">The priority, which replaces the request's priority tag, and the idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queued job and whether this call queued it (false when the same request was queued before).</returns>
    /// <exception cref="TrainingQueueException">The queue refused the request (a subclass says why).</exception>
    public async Task<TrainingJobSubmission> SubmitAsync(
        CreateTrainingJobRequest request,
        QueuedSubmitOptions? submitOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var queued = WithPriority(request, submitOptions?.Priority);
        var submission = await _queue.SubmitAsync(queued, submitOptions?.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        Remember(submission.Job.Name, queued);
        return submission;
    }

    /// <summary>
    /// Describes a job. A queued job answers SageMaker-shaped under the user's name (see
    /// <see cref="QueuedJobSageMakerView"/>): while it waits <c>InProgress</c> with secondary status <c>Pending</c>
    /// (<c>Starting</c> while its attempt is created) and a status message with its queue position and the reason it
    /// waits; once an attempt runs, the inner client's description of the current attempt, renamed to the user's
    /// name — or the queue's view when the inner client does not know the attempt (a different SageMaker). When the
    /// queue runs its attempts on its simulated backend (<see cref="TrainingJobResource.Backend"/>), no SageMaker knows
    /// them, so the queue's view answers without asking the inner client. A job the queue does not know is described
    /// by the inner client.
    /// </summary>
    /// <param name="request">The job's name, as the user gave it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The description, under the user's name.</returns>
    public async Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.TrainingJobName;
        TrainingJobResource? job;
        try
        {
            job = string.IsNullOrEmpty(name) ? null : await _queue.FindJobAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (TrainingQueueException ex)
        {
            throw AsSageMakerException(ex);
        }

        if (job is null)
        {
            TrainingQueueClientLog.PassingThrough(_logger, name ?? string.Empty, "DescribeTrainingJob");
            return await _inner.DescribeTrainingJobAsync(request, cancellationToken).ConfigureAwait(false);
        }

        DescribeTrainingJobResponse? attempt = null;
        if (job.CurrentAttemptName is not null && AttemptDecides(job.State) && !AttemptsKnownToSageMaker(job))
        {
            TrainingQueueClientLog.DescribingFromQueue(_logger, job.Name, job.Backend ?? string.Empty);
        }
        else if (job.CurrentAttemptName is { } attemptName && AttemptDecides(job.State))
        {
            try
            {
                attempt = await _inner.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = attemptName }, cancellationToken).ConfigureAwait(false);
            }
            catch (SageMakerException ex) when (IsUnknownJob(ex))
            {
                TrainingQueueClientLog.AttemptUnknownToInner(_logger, attemptName, job.Name);
            }
        }

        _submitted.TryGetValue(job.Name, out var submitted);
        return QueuedJobSageMakerView.Describe(job, attempt, Copy(submitted), ArnOf(job.Name));
    }

    /// <summary>
    /// Stops a job. A queued job is cancelled while it waits, or its running attempt is stopped, through the
    /// queue (<c>DELETE /v1/jobs/{name}</c>); a job the queue does not know is stopped by the inner client.
    /// </summary>
    /// <param name="request">The job's name, as the user gave it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An empty response, as SageMaker's.</returns>
    /// <exception cref="SageMakerValidationException">The queued job has already ended (the cause is a <see cref="QueuedJobFinishedException"/>).</exception>
    /// <exception cref="SageMakerException">With <see cref="SageMakerErrorCodes.AccessDeniedException"/>: another principal owns the job.</exception>
    public async Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.TrainingJobName;
        if (!string.IsNullOrEmpty(name))
        {
            try
            {
                await _queue.CancelJobAsync(name, cancellationToken).ConfigureAwait(false);
                return new StopTrainingJobResponse();
            }
            catch (QueuedJobNotFoundException)
            {
                TrainingQueueClientLog.PassingThrough(_logger, name, "StopTrainingJob");
            }
            catch (TrainingQueueException ex)
            {
                throw AsSageMakerException(ex);
            }
        }

        return await _inner.StopTrainingJobAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Passes to the inner client untouched: the queue does not change running jobs' settings.</summary>
    /// <param name="request">The inner client's request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The inner client's response.</returns>
    public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        _inner.UpdateTrainingJobAsync(request, cancellationToken);

    /// <summary>
    /// The SageMaker exception a launcher already catches for a queue refusal: the type the compatible endpoint answers
    /// on the wire, the queue's detail as its message, the queue's exception as its cause.
    /// </summary>
    internal static SageMakerException AsSageMakerException(TrainingQueueException exception) =>
        exception is TrainingQueueUnavailableException && exception.StatusCode is null
            ? new SageMakerClientException(SageMakerErrorCodes.TransportFailure, exception.Message, exception)
            : ProblemSageMakerErrors.ToException(exception.ProblemCode, exception.StatusCode ?? System.Net.HttpStatusCode.BadRequest, exception.Message, exception);

    // Older services do not say; their attempts may be SageMaker's, so the inner client is asked as before.
    private static bool AttemptsKnownToSageMaker(TrainingJobResource job) =>
        job.Backend is null || string.Equals(job.Backend, QueueBackends.SageMaker, StringComparison.Ordinal);

    private static bool AttemptDecides(JobState state) =>
        state is JobState.Running or JobState.Stopping or JobState.Completed or JobState.Failed or JobState.Stopped;

    private static bool IsUnknownJob(SageMakerException exception) =>
        exception is SageMakerResourceNotFoundException
        || (exception is SageMakerValidationException && exception.Message.Contains("not found", StringComparison.OrdinalIgnoreCase));

    private static CreateTrainingJobRequest? Copy(CreateTrainingJobRequest? request) =>
        request is null
            ? null
            : JsonSerializer.Deserialize(
                JsonSerializer.SerializeToUtf8Bytes(request, SageMakerJsonContext.Default.CreateTrainingJobRequest),
                SageMakerJsonContext.Default.CreateTrainingJobRequest);

    private string ArnOf(string jobName) => QueuedJobSageMakerView.Arn(jobName, _options.Region, _options.AccountId);

    private CreateTrainingJobRequest WithPriority(CreateTrainingJobRequest request, int? priority)
    {
        var copy = Copy(request)!;
        var key = _options.PriorityTagKey;
        var tags = copy.Tags ?? [];
        var existing = tags.FindIndex(t => string.Equals(t.Key, key, StringComparison.Ordinal));
        var value = priority ?? (existing < 0 ? _options.DefaultPriority : null);
        if (value is { } p)
        {
            var text = p.ToString(CultureInfo.InvariantCulture);
            if (existing < 0)
            {
                tags.Add(new Tag { Key = key, Value = text });
            }
            else
            {
                tags[existing].Value = text;
            }

            copy.Tags = tags;
        }

        return copy;
    }

    private void Remember(string name, CreateTrainingJobRequest request)
    {
        if (_submitted.Count >= RememberedRequestLimit)
        {
            _submitted.Clear();
        }

        _submitted[name] = request;
    }
}
