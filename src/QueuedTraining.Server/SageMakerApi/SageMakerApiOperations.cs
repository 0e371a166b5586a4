using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Queries;
using QueuedTraining.Core.Storage;
using QueuedTraining.Server.Api;

namespace QueuedTraining.Server.SageMakerApi;

/// <summary>
/// The SageMaker operations the queue answers itself: CreateTrainingJob queues the job, DescribeTrainingJob and
/// ListTrainingJobs show queued jobs SageMaker-style under the user's job name, StopTrainingJob cancels or stops.
/// Each takes the request body and answers the response body; failures are <see cref="SageMakerException"/>s.
/// </summary>
internal sealed partial class SageMakerApiOperations(
    JobCommands commands,
    ISageMakerTrainingClient backend,
    JobQueries queries,
    IOptionsMonitor<SageMakerApiOptions> options,
    TimeProvider time,
    ILogger<SageMakerApiOperations> logger)
{
    public async Task<byte[]> CreateTrainingJobAsync(JobCaller caller, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = Read(body, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        JobSubmitResult result;
        try
        {
            result = await commands.SubmitAsync(caller, request, idempotencyKey: null, cancellationToken).ConfigureAwait(false);
        }
        catch (JobValidationException ex)
        {
            throw SageMakerApiErrors.Validation(ex.Errors);
        }
        catch (JobConflictException ex)
        {
            throw SageMakerApiErrors.InUse(ex.Existing.Name, Arn(ex.Existing.Name));
        }

        var response = new CreateTrainingJobResponse { TrainingJobArn = Arn(result.Job.Name) };
        return JsonSerializer.SerializeToUtf8Bytes(response, SageMakerJsonContext.Default.CreateTrainingJobResponse);
    }

    public async Task<byte[]> DescribeTrainingJobAsync(JobCaller caller, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var name = RequireName(Read(body, SageMakerJsonContext.Default.DescribeTrainingJobRequest).TrainingJobName);
        var view = await queries.GetAsync(name, caller, cancellationToken).ConfigureAwait(false) ?? throw SageMakerApiErrors.NotFound(name);
        var job = view.Job;
        var resource = view.ToResource(backend: null);
        var attempt = await DescribeAttemptAsync(job, cancellationToken).ConfigureAwait(false);
        var submitted = JsonSerializer.Deserialize(job.RequestJson, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        var response = QueuedJobSageMakerView.Describe(resource, attempt, submitted, Arn(job.Name), time.GetUtcNow());
        return JsonSerializer.SerializeToUtf8Bytes(response, SageMakerJsonContext.Default.DescribeTrainingJobResponse);
    }

    public async Task<byte[]> StopTrainingJobAsync(JobCaller caller, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var name = RequireName(Read(body, SageMakerJsonContext.Default.StopTrainingJobRequest).TrainingJobName);
        try
        {
            await commands.CancelAsync(name, caller, cancellationToken).ConfigureAwait(false);
        }
        catch (JobNotFoundException)
        {
            throw SageMakerApiErrors.NotFound(name);
        }
        catch (JobFinishedException ex)
        {
            throw SageMakerApiErrors.Finished(ex.Job.State);
        }
        catch (JobAccessDeniedException)
        {
            throw SageMakerApiErrors.AccessDenied(caller.Principal, "StopTrainingJob", Arn(name));
        }

        return JsonSerializer.SerializeToUtf8Bytes(new StopTrainingJobResponse(), SageMakerJsonContext.Default.StopTrainingJobResponse);
    }

    private string Arn(string jobName)
    {
        var settings = options.CurrentValue;
        return QueuedJobSageMakerView.Arn(jobName, settings.Region, settings.AccountId);
    }

    /// <summary>
    /// SageMaker's own description of the job's current attempt once it has started; null while the queue decides
    /// what the job looks like, or when the backend cannot say (the queue's view is shown instead).
    /// </summary>
    private async Task<DescribeTrainingJobResponse?> DescribeAttemptAsync(QueuedJob job, CancellationToken cancellationToken)
    {
        if (job.CurrentAttemptName is not { } attemptName
            || job.State is not (JobState.Running or JobState.Stopping or JobState.Completed or JobState.Failed or JobState.Stopped))
        {
            return null;
        }

        try
        {
            return await backend.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = attemptName }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SageMakerException or HttpRequestException or TimeoutException)
        {
            LogAttemptDescribeFailed(ex, attemptName, job.Name);
            return null;
        }
    }

    private static T Read<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo)
        where T : new()
    {
        if (body.IsEmpty)
        {
            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize(body.Span, typeInfo) ?? throw new JsonException("The body is null.");
        }
        catch (JsonException ex)
        {
            throw SageMakerApiErrors.Malformed(ex);
        }
    }

    private static string RequireName(string? name) =>
        string.IsNullOrEmpty(name) ? throw SageMakerApiErrors.Required("trainingJobName") : name;

    [LoggerMessage(EventId = 4700, Level = LogLevel.Warning, Message = "Could not describe SageMaker job {AttemptName} of {JobName}; showing the queue's view")]
    private partial void LogAttemptDescribeFailed(Exception exception, string attemptName, string jobName);
}
