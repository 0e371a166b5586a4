using System.Runtime.CompilerServices;
using System.Text.Json;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.SageMaker;

/// <summary>Conveniences over <see cref="ISageMakerTrainingClient"/>.</summary>
public static class SageMakerTrainingClientExtensions
{
    /// <summary>
    /// Reads every page of <c>ListTrainingJobs</c>, following <c>NextToken</c> until SageMaker returns none.
    /// Pages are requested lazily, one per iteration step.
    /// </summary>
    /// <param name="client">The client to call.</param>
    /// <param name="request">Filters and page size; its <c>NextToken</c>, if set, is where reading starts. It is not modified.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The pages, in order.</returns>
    public static async IAsyncEnumerable<ListTrainingJobsResponse> ListAllTrainingJobsAsync(
        this ISageMakerTrainingClient client,
        ListTrainingJobsRequest? request = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);

        // A copy through the wire format keeps every member, modelled or not, without touching the caller's object.
        var page = request is null
            ? new ListTrainingJobsRequest()
            : JsonSerializer.Deserialize(
                JsonSerializer.SerializeToUtf8Bytes(request, SageMakerJsonContext.Default.ListTrainingJobsRequest),
                SageMakerJsonContext.Default.ListTrainingJobsRequest)!;

        while (true)
        {
            var response = await client.ListTrainingJobsAsync(page, cancellationToken).ConfigureAwait(false);
            yield return response;

            if (string.IsNullOrEmpty(response.NextToken) || response.NextToken == page.NextToken)
            {
                // No further page; a token that repeats would loop forever, so it ends the listing too.
                yield break;
            }

            page.NextToken = response.NextToken;
        }
    }
}
