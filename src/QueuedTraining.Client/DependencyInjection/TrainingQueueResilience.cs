using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace QueuedTraining.Client.DependencyInjection;

/// <summary>
/// The queue client's resilience pipeline, outermost first: the total timeout, retries (exponential backoff with
/// jitter, <c>Retry-After</c> honoured) on connection failures, 408, 429, 5xx and attempt timeouts, and the
/// per-attempt timeout. Every method is retried, POST too: submissions are idempotent by their <c>Idempotency-Key</c>.
/// No circuit breaker: a launcher makes few calls, and failing fast would only turn a short outage into errors.
/// </summary>
internal static class TrainingQueueResilience
{
    public const string PipelineName = "queue";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<TrainingQueueClientOptions>>().Value;
        var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TrainingQueueClient).FullName!);
        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldRetryAfterHeader = true,
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
                    var reason = args.Outcome.Exception?.GetType().Name
                        ?? (args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown");
                    TrainingQueueClientLog.Retrying(
                        logger,
                        request?.Method.Method ?? "?",
                        request?.RequestUri?.AbsolutePath ?? "?",
                        reason,
                        args.AttemptNumber + 1,
                        args.RetryDelay);
                    return default;
                },
            });
        }

        pipeline.AddTimeout(options.AttemptTimeout);
    }
}
