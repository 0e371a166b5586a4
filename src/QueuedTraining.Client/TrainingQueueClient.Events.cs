using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

public sealed partial class TrainingQueueClient
{
    /// <summary>
    /// Follows <c>GET /v1/events</c>: every transition of the jobs the caller may see, as it happens, until the stream ends
    /// or <paramref name="cancellationToken"/> cancels it.
    /// </summary>
    /// <param name="jobName">Only this job's events; every visible job's when null.</param>
    /// <param name="lastEventId">Resume after this <see cref="JobEventResource.Id"/>; from now when null.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events in the order the service sends them.</returns>
    /// <exception cref="TrainingQueueException">The service has no event stream (an older version answers 404) or refused it.</exception>
    public IAsyncEnumerable<JobEventResource> StreamJobEventsAsync(string? jobName = null, string? lastEventId = null, CancellationToken cancellationToken = default) =>
        ReadJobEventsAsync(jobName, lastEventId, opened: null, cancellationToken);

    /// <summary><see cref="StreamJobEventsAsync"/>, calling <paramref name="opened"/> once the service has accepted the stream.</summary>
    internal async IAsyncEnumerable<JobEventResource> ReadJobEventsAsync(
        string? jobName, string? lastEventId, Action? opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseAddress, jobName is null ? "v1/events" : "v1/events?job=" + Uri.EscapeDataString(jobName));
        using var message = new HttpRequestMessage(HttpMethod.Get, uri);
        message.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            message.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await SendAsync(message, jobName, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        opened?.Invoke();
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                // Server-Sent Events: "data:" lines make up an event, a blank line ends it; ids, retries and comments are skipped.
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5)).Append('\n');
                }
                else if (line.Length == 0 && data.Length > 0)
                {
                    var e = JsonSerializer.Deserialize(data.ToString(0, data.Length - 1), QueueJsonContext.Default.JobEventResource);
                    data.Clear();
                    if (e is not null)
                    {
                        yield return e;
                    }
                }
            }
        }
    }
}
