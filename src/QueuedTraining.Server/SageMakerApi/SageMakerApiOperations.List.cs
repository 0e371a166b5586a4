using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.SageMakerApi;

internal sealed partial class SageMakerApiOperations
{
    private const int DefaultMaxResults = 10;
    private const int MaxMaxResults = 100;

    private static readonly string[] Statuses =
        [TrainingJobStatus.InProgress, TrainingJobStatus.Completed, TrainingJobStatus.Failed, TrainingJobStatus.Stopping, TrainingJobStatus.Stopped];

    private static readonly string[] SortKeys = ["Name", "CreationTime", "Status"];
    private static readonly string[] SortOrders = ["Ascending", "Descending"];

    /// <summary>
    /// Lists queued jobs in queue order (priority, then enqueue time), SageMaker's <c>SortBy</c> and
    /// <c>SortOrder</c> are checked but the order stays the queue's. <c>StatusEquals</c>, <c>NameContains</c>
    /// (case-insensitive) and the creation-time bounds filter; <c>NextToken</c> is the store's own page token, so a
    /// page never skips or repeats a job. A filtered page may be short; only a missing <c>NextToken</c> ends a listing.
    /// </summary>
    public async Task<byte[]> ListTrainingJobsAsync(JobCaller caller, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = Read(body, SageMakerJsonContext.Default.ListTrainingJobsRequest);
        var pageSize = request.MaxResults ?? DefaultMaxResults;
        if (pageSize is < 1 or > MaxMaxResults)
        {
            throw SageMakerApiErrors.Validation("maxResults", $"Member must have value between 1 and {MaxMaxResults}");
        }

        CheckEnum(request.StatusEquals, Statuses, "statusEquals");
        CheckEnum(request.SortBy, SortKeys, "sortBy");
        CheckEnum(request.SortOrder, SortOrders, "sortOrder");

        // A status that is exactly one queue state is filtered by the store; InProgress and Stopped span several.
        var storeState = request.StatusEquals switch
        {
            TrainingJobStatus.Completed => JobState.Completed,
            TrainingJobStatus.Failed => JobState.Failed,
            TrainingJobStatus.Stopping => JobState.Stopping,
            _ => (JobState?)null,
        };

        JobListPage page;
        try
        {
            var token = string.IsNullOrEmpty(request.NextToken) ? null : request.NextToken;
            page = await queries.ListJobsAsync(new JobListQuery(storeState, pageSize, token), job => caller.MaySee(job) && Matches(job, request), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidPageTokenException)
        {
            throw new SageMakerValidationException("Invalid pagination token: NextToken is not one this endpoint issued.");
        }

        var summaries = page.Jobs.Select(Summarize).ToList();
        var response = new ListTrainingJobsResponse { TrainingJobSummaries = summaries, NextToken = page.NextPageToken };
        return JsonSerializer.SerializeToUtf8Bytes(response, SageMakerJsonContext.Default.ListTrainingJobsResponse);
    }

    private static bool Matches(QueuedJob job, ListTrainingJobsRequest request) =>
        (request.StatusEquals is null || QueuedJobSageMakerView.Status(job.State) == request.StatusEquals)
        && (string.IsNullOrEmpty(request.NameContains) || job.Name.Contains(request.NameContains, StringComparison.OrdinalIgnoreCase))
        && (request.CreationTimeAfter is not { } after || job.EnqueuedAt > after)
        && (request.CreationTimeBefore is not { } before || job.EnqueuedAt < before);

    private TrainingJobSummary Summarize(QueuedJob job) => new()
    {
        TrainingJobName = job.Name,
        TrainingJobArn = Arn(job.Name),
        CreationTime = job.EnqueuedAt,
        LastModifiedTime = job.UpdatedAt,
        TrainingEndTime = job.State.IsTerminal() ? job.CurrentAttempt?.EndedAt ?? job.UpdatedAt : null,
        TrainingJobStatus = QueuedJobSageMakerView.Status(job.State),
        SecondaryStatus = QueuedJobSageMakerView.SecondaryStatusOf(job.State),
    };

    private static void CheckEnum(string? value, string[] allowed, string member)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new SageMakerValidationException(
                $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }
    }
}
