using System.Globalization;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client;

public sealed partial class QueuedSageMakerTrainingClient
{
    private const string QueueTokenPrefix = "queuedtraining:queue:";
    private const string InnerTokenPrefix = "queuedtraining:inner:";

    // The unfinished states, listed one after the other; within a state the queue lists in queue order.
    private static readonly JobState[] ListedStates =
        [JobState.Running, JobState.Starting, JobState.Stopping, JobState.Preempting, JobState.Pending, JobState.Preempted];

    /// <summary>
    /// Lists training jobs: first the queue's unfinished jobs under their own names (running, starting, stopping,
    /// preempting, then waiting ones in queue order), then the inner client's jobs. A page never holds more than
    /// <c>MaxResults</c> (default 10); once the queue's jobs run out mid-page, the rest of the page comes from the
    /// inner client. <c>NextToken</c> is the decorator's own token (it wraps the inner client's), so pass it back
    /// unchanged; a token it did not issue goes to the inner client as it is. <c>NameContains</c>,
    /// <c>StatusEquals</c> and the creation-time bounds filter the queued jobs too (their creation time is when they
    /// were queued); <c>SortBy</c> and <c>SortOrder</c> apply to the inner client's jobs only. Running attempts appear
    /// once more in the inner client's list, under their attempt names, when the inner client is the queue's SageMaker.
    /// </summary>
    /// <param name="request">Page size, token and filters, as SageMaker takes them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page: queued jobs first, then the inner client's.</returns>
    public async Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.NextToken;
        var foreignToken = !string.IsNullOrEmpty(token)
            && !token.StartsWith(QueueTokenPrefix, StringComparison.Ordinal)
            && !token.StartsWith(InnerTokenPrefix, StringComparison.Ordinal);
        if (foreignToken)
        {
            return await _inner.ListTrainingJobsAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var max = Math.Clamp(request.MaxResults ?? 10, 1, 100);
        var summaries = new List<TrainingJobSummary>();
        if (token is not null && token.StartsWith(InnerTokenPrefix, StringComparison.Ordinal))
        {
            return await ListInnerAsync(request, token[InnerTokenPrefix.Length..], max, summaries, cancellationToken).ConfigureAwait(false);
        }

        var (stateIndex, queueToken) = ParseQueueToken(token);
        if (!MayListQueuedJobs(request))
        {
            stateIndex = ListedStates.Length;
        }

        while (summaries.Count < max && stateIndex < ListedStates.Length)
        {
            JobPage page;
            try
            {
                page = await _queue.ListJobsAsync(ListedStates[stateIndex], max - summaries.Count, queueToken, cancellationToken).ConfigureAwait(false);
            }
            catch (TrainingQueueException ex)
            {
                throw AsSageMakerException(ex);
            }

            summaries.AddRange(page.Items.Where(j => Matches(j, request)).Select(ToSummary));
            queueToken = page.NextPageToken;
            if (queueToken is null)
            {
                stateIndex++;
            }
        }

        if (stateIndex < ListedStates.Length)
        {
            return new ListTrainingJobsResponse
            {
                TrainingJobSummaries = summaries,
                NextToken = string.Create(CultureInfo.InvariantCulture, $"{QueueTokenPrefix}{stateIndex}:{queueToken}"),
            };
        }

        return summaries.Count < max
            ? await ListInnerAsync(request, string.Empty, max, summaries, cancellationToken).ConfigureAwait(false)
            : new ListTrainingJobsResponse { TrainingJobSummaries = summaries, NextToken = InnerTokenPrefix };
    }

    private static (int StateIndex, string? QueueToken) ParseQueueToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null);
        }

        var rest = token[QueueTokenPrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !int.TryParse(rest.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > ListedStates.Length)
        {
            throw new SageMakerValidationException("Invalid pagination token.");
        }

        var queueToken = rest[(colon + 1)..];
        return (index, queueToken.Length == 0 ? null : queueToken);
    }

    private static bool MayListQueuedJobs(ListTrainingJobsRequest request) =>
        request.StatusEquals is null or TrainingJobStatus.InProgress or TrainingJobStatus.Stopping;

    private static bool Matches(TrainingJobResource job, ListTrainingJobsRequest request) =>
        (request.NameContains is null || job.Name.Contains(request.NameContains, StringComparison.OrdinalIgnoreCase))
        && (request.StatusEquals is null || request.StatusEquals == QueuedJobSageMakerView.Status(job.State))
        && (request.CreationTimeAfter is null || job.EnqueuedAt > request.CreationTimeAfter)
        && (request.CreationTimeBefore is null || job.EnqueuedAt < request.CreationTimeBefore);

    private TrainingJobSummary ToSummary(TrainingJobResource job) => new()
    {
        TrainingJobName = job.Name,
        TrainingJobArn = ArnOf(job.Name),
        CreationTime = job.EnqueuedAt,
        LastModifiedTime = job.UpdatedAt,
        TrainingJobStatus = QueuedJobSageMakerView.Status(job.State),
        SecondaryStatus = QueuedJobSageMakerView.SecondaryStatusOf(job.State),
    };

    private async Task<ListTrainingJobsResponse> ListInnerAsync(
        ListTrainingJobsRequest request, string innerToken, int max, List<TrainingJobSummary> summaries, CancellationToken cancellationToken)
    {
        var innerRequest = new ListTrainingJobsRequest
        {
            NextToken = innerToken.Length == 0 ? null : innerToken,
            MaxResults = max - summaries.Count,
            NameContains = request.NameContains,
            StatusEquals = request.StatusEquals,
            CreationTimeAfter = request.CreationTimeAfter,
            CreationTimeBefore = request.CreationTimeBefore,
            SortBy = request.SortBy,
            SortOrder = request.SortOrder,
            AdditionalMembers = request.AdditionalMembers,
        };
        var page = await _inner.ListTrainingJobsAsync(innerRequest, cancellationToken).ConfigureAwait(false);
        summaries.AddRange(page.TrainingJobSummaries);
        return new ListTrainingJobsResponse
        {
            TrainingJobSummaries = summaries,
            NextToken = page.NextToken is null ? null : InnerTokenPrefix + page.NextToken,
            AdditionalMembers = page.AdditionalMembers,
        };
    }
}
