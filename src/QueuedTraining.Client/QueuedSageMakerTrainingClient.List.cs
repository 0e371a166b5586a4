using System.Globalization;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client;

public sealed partial class QueuedSageMakerTrainingClient
{
    private const string QueueTokenPrefix = "queuedtraining:queue:";
    private const string InnerTokenPrefix = "queuedtraining:inner:";

    /// <summary>
    /// Lists training jobs: first the queue's jobs under their own names, in the queue's one order (waiting and running
    /// jobs in queue order, then finished jobs, most recently ended first), then the inner client's jobs. A page never
    /// holds more than <c>MaxResults</c> (default 10); once the queue's jobs run out mid-page, the rest of the page comes
    /// from the inner client. <c>NextToken</c> is the decorator's own token (it wraps the inner client's), so pass it back
    /// unchanged; a token it did not issue goes to the inner client as it is. <c>NameContains</c>, <c>StatusEquals</c>
    /// and the creation-time bounds filter the queued jobs too (their creation time is when they were queued);
    /// <c>SortBy</c> and <c>SortOrder</c> apply to the inner client's jobs only. When the inner client is the queue's
    /// SageMaker, a job that has run appears once more in its list, under its attempt's name.
    /// </summary>
    /// <param name="request">The filters and paging of SageMaker's ListTrainingJobs.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>One page of summaries and the token for the next page, if any.</returns>
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

        string? queueToken = token is null ? null : token[QueueTokenPrefix.Length..];
        if (queueToken is { Length: 0 })
        {
            queueToken = null;
        }

        var queueDone = false;
        while (summaries.Count < max && !queueDone)
        {
            JobPage page;
            try
            {
                page = await _queue.ListJobsAsync(null, max - summaries.Count, queueToken, cancellationToken).ConfigureAwait(false);
            }
            catch (TrainingQueueException ex)
            {
                throw AsSageMakerException(ex);
            }

            summaries.AddRange(page.Items.Where(j => Matches(j, request)).Select(ToSummary));
            queueToken = page.NextPageToken;
            queueDone = queueToken is null;
        }

        if (!queueDone)
        {
            return new ListTrainingJobsResponse { TrainingJobSummaries = summaries, NextToken = QueueTokenPrefix + queueToken };
        }

        return summaries.Count < max
            ? await ListInnerAsync(request, string.Empty, max, summaries, cancellationToken).ConfigureAwait(false)
            : new ListTrainingJobsResponse { TrainingJobSummaries = summaries, NextToken = InnerTokenPrefix };
    }

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
