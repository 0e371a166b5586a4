using System.Net;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server.Hosting;
using QueuedTraining.Server.Security;

namespace QueuedTraining.Server.SageMakerApi;

/// <summary>
/// <c>POST /</c> with <c>X-Amz-Target: SageMaker.&lt;Operation&gt;</c>: the queue answering as SageMaker does, so
/// boto3, the AWS CLI and the JS SDK queue jobs with nothing changed but the endpoint URL and credentials.
/// The body is read whole (it is signed), the SigV4 signature verified, then the operation dispatched.
/// </summary>
internal sealed partial class SageMakerApiEndpoint(
    SigV4CallerAuthenticator authenticator,
    SageMakerApiOperations operations,
    PrincipalRateLimiter limiter,
    IOptionsMonitor<ServerOptions> serverOptions,
    ILogger<SageMakerApiEndpoint> logger)
{
    public const string TargetHeader = "X-Amz-Target";
    private const string TargetPrefix = "SageMaker.";

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers[AwsJsonResponse.RequestIdHeader] = Guid.NewGuid().ToString();
        var cancellationToken = context.RequestAborted;
        try
        {
            var body = await ReadBodyAsync(context.Request, serverOptions.CurrentValue.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
            var caller = authenticator.Authenticate(context, body);
            if (limiter.TryAcquire(caller) is { } retryAfter)
            {
                throw SageMakerApiErrors.Throttled(retryAfter);
            }

            var target = context.Request.Headers[TargetHeader].ToString();
            var answer = target switch
            {
                TargetPrefix + "CreateTrainingJob" => await operations.CreateTrainingJobAsync(caller, body, cancellationToken).ConfigureAwait(false),
                TargetPrefix + "DescribeTrainingJob" => await operations.DescribeTrainingJobAsync(caller, body, cancellationToken).ConfigureAwait(false),
                TargetPrefix + "ListTrainingJobs" => await operations.ListTrainingJobsAsync(caller, body, cancellationToken).ConfigureAwait(false),
                TargetPrefix + "StopTrainingJob" => await operations.StopTrainingJobAsync(caller, body, cancellationToken).ConfigureAwait(false),
                _ => throw SageMakerApiErrors.UnknownOperation(target),
            };
            await AwsJsonResponse.WriteAsync(context, answer).ConfigureAwait(false);
        }
        catch (SageMakerException ex)
        {
            await AwsJsonResponse.WriteErrorAsync(context, ex.StatusCode, ex.ErrorCode, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // AWS clients retry InternalFailure (5xx); anything unexpected must still answer in their format.
            LogFailed(ex, context.Request.Headers[TargetHeader].ToString());
            var error = SageMakerApiErrors.Internal();
            await AwsJsonResponse.WriteErrorAsync(context, error.StatusCode, error.ErrorCode, error.Message).ConfigureAwait(false);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken) =>
        await LimitedRequestBody.ReadAsync(request, limit, cancellationToken).ConfigureAwait(false) ?? throw SageMakerApiErrors.TooLarge(limit);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Error, Message = "The SageMaker-compatible endpoint failed on {Target}")]
    private partial void LogFailed(Exception exception, string target);
}
