using System.Net.Http.Headers;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Server.Tests;

/// <summary>A subscriber to <c>GET /v1/events</c> that parses the Server-Sent Events as a browser would.</summary>
internal sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamReader(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    public string? MediaType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>Opens the stream as the principal of <paramref name="apiKey"/>, optionally resuming after <paramref name="lastEventId"/>.</summary>
    public static async Task<EventStreamReader> OpenAsync(Uri baseUrl, string apiKey, string? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new EventStreamReader(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads events until <paramref name="done"/> holds for those read so far, or fails after a generous limit.</summary>
    public async Task<List<JobEventResource>> ReadUntilAsync(Func<IReadOnlyList<JobEventResource>, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var events = new List<JobEventResource>();
        var data = new List<string>();
        while (!done(events))
        {
            var line = await _reader.ReadLineAsync(limit.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
            else if (line.Length == 0 && data.Count > 0)
            {
                events.Add(JsonSerializer.Deserialize(string.Join('\n', data), QueueJsonContext.Default.JobEventResource)!);
                data.Clear();
            }
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
