using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker.Http;
using QueuedTraining.SageMaker.Signing;

namespace QueuedTraining.SageMaker;

/// <summary>
/// Calls SageMaker's training-job API over SageMaker's JSON 1.1 protocol (<c>POST /</c> with
/// <c>X-Amz-Target: SageMaker.&lt;Operation&gt;</c>), signing every attempt with SigV4 through AWSSDK.Core
/// and retrying throttling, 5xx answers and transport failures with backoff.
/// </summary>
/// <remarks>
/// Errors surface as <see cref="SageMakerException"/> subclasses, as <see cref="ISageMakerTrainingClient"/> promises:
/// SageMaker's answers by their error name, and calls that got no answer as <see cref="SageMakerClientException"/>
/// (no credentials found, or the transport still failing after every retry). A retried <c>CreateTrainingJob</c>
/// whose first attempt reached SageMaker may answer <see cref="SageMakerResourceInUseException"/>; the
/// queue treats that name as taken by the same job.
/// </remarks>
public sealed class SageMakerTrainingClient : ISageMakerTrainingClient
{
    private const string TargetPrefix = "SageMaker.";

    private static readonly MediaTypeHeaderValue JsonContentType = new(SageMakerRequestSigner.JsonContentType);

    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _region;
    private readonly Uri _serviceUrl;
    private readonly SageMakerCredentialsSource _credentials;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The transport; its own timeout should be infinite, as the retry pipeline owns timeouts.</param>
    /// <param name="options">Region, endpoint, credentials and retry settings; validated here as well as at start-up.</param>
    /// <param name="timeProvider">The clock used for signing times, backoff delays and timeouts.</param>
    /// <param name="logger">Receives retries and error answers.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public SageMakerTrainingClient(
        HttpClient httpClient,
        IOptions<SageMakerClientOptions> options,
        TimeProvider timeProvider,
        ILogger<SageMakerTrainingClient> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        var settings = options.Value;
        var validation = new SageMakerClientOptionsValidator().Validate(Options.DefaultName, settings);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SageMakerClientOptions), validation.Failures);
        }

        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger;
        _region = SageMakerEndpoint.ResolveRegion(settings)!;
        _serviceUrl = SageMakerEndpoint.ResolveServiceUrl(settings, _region);
        _credentials = new SageMakerCredentialsSource(settings);
        _pipeline = SageMakerRetryPolicy.Create(settings, timeProvider, OnRetryAsync);
    }

    /// <inheritdoc />
    public Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("CreateTrainingJob", request, SageMakerJsonContext.Default.CreateTrainingJobRequest, SageMakerJsonContext.Default.CreateTrainingJobResponse, cancellationToken);

    /// <inheritdoc />
    public Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("DescribeTrainingJob", request, SageMakerJsonContext.Default.DescribeTrainingJobRequest, SageMakerJsonContext.Default.DescribeTrainingJobResponse, cancellationToken);

    /// <inheritdoc />
    public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("ListTrainingJobs", request, SageMakerJsonContext.Default.ListTrainingJobsRequest, SageMakerJsonContext.Default.ListTrainingJobsResponse, cancellationToken);

    /// <inheritdoc />
    public Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("StopTrainingJob", request, SageMakerJsonContext.Default.StopTrainingJobRequest, SageMakerJsonContext.Default.StopTrainingJobResponse, cancellationToken);

    /// <inheritdoc />
    public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("UpdateTrainingJob", request, SageMakerJsonContext.Default.UpdateTrainingJobRequest, SageMakerJsonContext.Default.UpdateTrainingJobResponse, cancellationToken);

    private async Task<TResponse> InvokeAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : new()
    {
        ArgumentNullException.ThrowIfNull(request);

        // Serialized once: every attempt sends (and signs) exactly the same bytes.
        var call = new Call<TResponse>(operation, JsonSerializer.SerializeToUtf8Bytes(request, requestType), responseType);
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Client.SendOnceAsync(state.Call, ctx.CancellationToken),
                context,
                (Client: this, Call: call)).ConfigureAwait(false);
        }
        catch (Amazon.Runtime.AmazonClientException ex)
        {
            // The AWS SDK's credential chain found nothing; callers catch SageMakerException only.
            throw new SageMakerClientException(
                SageMakerErrorCodes.CredentialsUnavailable,
                $"SageMaker {operation} was not sent: no AWS credentials were found ({ex.Message}). Set SageMakerClientOptions.AccessKey/SecretKey, "
                + "or configure the standard AWS chain (environment, profile, web identity, container or instance role).",
                ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new SageMakerClientException(
                SageMakerErrorCodes.TransportFailure,
                $"SageMaker {operation} got no answer from {_serviceUrl} after every retry: {ex.Message}",
                ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<TResponse> SendOnceAsync<TResponse>(Call<TResponse> call, CancellationToken cancellationToken)
        where TResponse : new()
    {
        // Signed right before sending, so each retry carries a fresh X-Amz-Date.
        var credentials = await _credentials.GetAsync().ConfigureAwait(false);
        var signedHeaders = SageMakerRequestSigner.Sign(
            _serviceUrl, TargetPrefix + call.Operation, call.Body, credentials, _region, _timeProvider.GetUtcNow().UtcDateTime);

        using var message = new HttpRequestMessage(HttpMethod.Post, _serviceUrl) { Content = new ByteArrayContent(call.Body) };
        message.Content.Headers.ContentType = JsonContentType;
        foreach (var (name, value) in signedHeaders)
        {
            // HttpClient writes Host from the URL (the same host:port the signer used) and Content-Type from the content.
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        SageMakerTrainingClientLog.Sending(_logger, call.Operation, _serviceUrl);
        using var response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            // StopTrainingJob answers with an empty body.
            return body.Length == 0 ? new TResponse() : JsonSerializer.Deserialize(body, call.ResponseType) ?? new TResponse();
        }

        var error = SageMakerErrorDecoder.Decode(response.StatusCode, response.Headers, body);
        if (SageMakerErrorDecoder.IsJobNotFound(call.Operation, error))
        {
            // SageMaker (and moto) answer an unknown job with ValidationException; callers need to tell "gone" from "invalid".
            error = new SageMakerResourceNotFoundException(error.Message, error.StatusCode);
        }

        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        SageMakerTrainingClientLog.ErrorAnswer(_logger, call.Operation, (int)response.StatusCode, error.ErrorCode, requestId, error.Message);
        error.RequestId = requestId;
        throw error;
    }

    private ValueTask OnRetryAsync(OnRetryArguments<object> arguments)
    {
        SageMakerTrainingClientLog.Retrying(
            _logger, arguments.Context.OperationKey, arguments.AttemptNumber + 1, arguments.RetryDelay, arguments.Outcome.Exception);
        return ValueTask.CompletedTask;
    }

    private sealed record Call<TResponse>(string Operation, byte[] Body, JsonTypeInfo<TResponse> ResponseType);
}
