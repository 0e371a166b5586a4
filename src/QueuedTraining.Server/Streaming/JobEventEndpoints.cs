using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Commands;
using QueuedTraining.Server.Api;
using QueuedTraining.Server.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace QueuedTraining.Server.Streaming;

/// <summary><c>GET /v1/events</c>: every job transition the caller may see, as Server-Sent Events.</summary>
internal static class JobEventEndpoints
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static void MapJobEvents(this RouteGroupBuilder v1)
    {
        v1.MapGet("/events", StreamAsync)
            .WithName("StreamJobEvents")
            .WithSummary("Server-Sent Events of every transition of the jobs the caller may see (submitted, started, preempted, completed…); resume with Last-Event-ID.")
            .Produces<JobEventResource>(Status200OK, "text/event-stream")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = LastEventIdHeader,
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Description = "Resume after this event id (browsers send it when they reconnect). The query parameter lastEventId does the same.",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                });
                return Task.CompletedTask;
            });
    }

    private static async Task<IResult> StreamAsync(
        HttpContext context, JobEventFeed feed, IOptionsMonitor<EventStreamOptions> options, IHostApplicationLifetime lifetime, string? job, string? lastEventId, CancellationToken requestAborted)
    {
        // A stream never ends by itself: end it when the service stops, or shutting down would wait for every subscriber.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ending.Token;
        if (!feed.Available)
        {
            return Problems.Create(Status503ServiceUnavailable, ProblemCodes.StoreUnavailable, "No event stream.", "This job store keeps no change log, so it cannot stream events.");
        }

        var caller = context.User.ToCaller();
        var resumeAfter = context.Request.Headers[LastEventIdHeader].ToString() is { Length: > 0 } header ? header : lastEventId;

        // Subscribe before replaying, so nothing committed meanwhile falls between the two; ids already replayed are skipped.
        using var subscription = feed.Subscribe();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.WriteAsync("retry: 2000\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        var replayed = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(resumeAfter))
        {
            foreach (var e in await feed.ReplayAsync(resumeAfter, cancellationToken).ConfigureAwait(false))
            {
                replayed.Add(e.Id);
                await WriteAsync(response, caller, job, e, cancellationToken).ConfigureAwait(false);
            }

            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var events = subscription.Events;
            while (!cancellationToken.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                heartbeat.CancelAfter(options.CurrentValue.Heartbeat);
                bool more;
                try
                {
                    more = await events.WaitToReadAsync(heartbeat.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (events.TryRead(out var e))
                {
                    if (!replayed.Contains(e.Id))
                    {
                        await WriteAsync(response, caller, job, e, cancellationToken).ConfigureAwait(false);
                    }
                }

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }

        return Results.Empty;
    }

    private static Task WriteAsync(HttpResponse response, JobCaller caller, string? job, JobEventResource e, CancellationToken cancellationToken)
    {
        // The rule of GET /v1/jobs: owners see their jobs, operators every job.
        if (!(caller.IsOperator || string.Equals(e.Owner, caller.Principal, StringComparison.Ordinal))
            || (job is not null && !string.Equals(e.Job, job, StringComparison.Ordinal)))
        {
            return Task.CompletedTask;
        }

        var text = new StringBuilder()
            .Append("id: ").Append(e.Id).Append('\n')
            .Append("data: ").Append(JsonSerializer.Serialize(e, QueueJsonContext.Default.JobEventResource)).Append("\n\n")
            .ToString();
        return response.WriteAsync(text, cancellationToken);
    }
}
