using System.Collections.Concurrent;

namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>
/// Sits inside the resilience handler (so it sees every attempt) and injects faults: each scripted step answers
/// one matching attempt, then the real server answers. Records every attempt it saw.
/// </summary>
internal sealed class ScriptedFaultHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly Func<HttpRequestMessage, bool> _matches;
    private readonly ConcurrentQueue<Attempt> _attempts = new();

    public ScriptedFaultHandler(Func<HttpRequestMessage, bool>? matches = null)
    {
        _matches = matches ?? (_ => true);
    }

    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    /// <summary>Answers the next matching attempt with <paramref name="response"/> without reaching the server.</summary>
    public ScriptedFaultHandler ThenRespond(Func<HttpResponseMessage> response)
    {
        _script.Enqueue((_, _) => Task.FromResult(response()));
        return this;
    }

    /// <summary>Forwards the next matching attempt to the server (which commits it), then drops the answer as a broken connection would.</summary>
    public ScriptedFaultHandler ThenForwardAndDropResponse()
    {
        _script.Enqueue(async (request, cancellationToken) =>
        {
            using var response = await base.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            throw new HttpRequestException("The connection was reset after the request was sent (injected).");
        });
        return this;
    }

    /// <summary>Fails the next matching attempt as a refused connection would.</summary>
    public ScriptedFaultHandler ThenRefuseConnection()
    {
        _script.Enqueue((_, _) => throw new HttpRequestException("Connection refused (injected)."));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_matches(request))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var key = request.Headers.TryGetValues(TrainingQueueClient.IdempotencyKeyHeader, out var values) ? values.Single() : null;
        _attempts.Enqueue(new Attempt(request.Method, request.RequestUri!, key));
        return _script.TryDequeue(out var step)
            ? await step(request, cancellationToken)
            : await base.SendAsync(request, cancellationToken);
    }

    public sealed record Attempt(HttpMethod Method, Uri Uri, string? IdempotencyKey);
}
