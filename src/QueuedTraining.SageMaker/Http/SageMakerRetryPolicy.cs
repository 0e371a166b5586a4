using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.SageMaker.Http;

/// <summary>
/// Builds the resilience pipeline around one SageMaker call: retries (exponential backoff with jitter)
/// around a per-attempt timeout. Only failures that another attempt can cure are retried: throttling,
/// 5xx answers, transport failures and attempt timeouts; any other 4xx is final.
/// </summary>
internal static class SageMakerRetryPolicy
{
    /// <summary>Creates the pipeline.</summary>
    /// <param name="options">Attempts, delays and the attempt timeout.</param>
    /// <param name="timeProvider">The clock for delays and timeouts.</param>
    /// <param name="onRetry">Called before each retry (for logging).</param>
    public static ResiliencePipeline Create(SageMakerClientOptions options, TimeProvider timeProvider, Func<OnRetryArguments<object>, ValueTask> onRetry)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = onRetry,
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>True for a failure worth another attempt.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SageMakerThrottlingException => true,
        SageMakerException sageMaker => sageMaker.StatusCode == HttpStatusCode.TooManyRequests || (int)sageMaker.StatusCode >= 500,
        HttpRequestException or TimeoutRejectedException => true,
        _ => false,
    };
}
