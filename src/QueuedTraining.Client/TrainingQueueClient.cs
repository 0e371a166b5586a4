using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using QueuedTraining.Client.Http;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client;

/// <summary>
/// Calls the queue service's HTTP API v1: submit, get, list, cancel, change priority, capacity. Built by
/// <c>AddTrainingQueueClient</c> on an <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/> whose
/// resilience handler retries connection failures, 408, 429 (honouring <c>Retry-After</c>) and 5xx with
/// exponential backoff and jitter, under a per-attempt and a total timeout.
/// </summary>
/// <remarks>
/// Every submission carries an <c>Idempotency-Key</c> that stays the same across the retries of that call, so a
/// retry after a lost answer returns the job the first attempt queued instead of queueing it twice.
/// Errors surface as <see cref="TrainingQueueException"/> and its subclasses.
/// </remarks>
public sealed partial class TrainingQueueClient
{
    /// <summary>The header that makes a submission idempotent.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _httpClient;
    private readonly Uri _baseAddress;
    private readonly string? _apiKey;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">
    /// The transport, normally from <see cref="IHttpClientFactory"/> with the resilience handler that
    /// <c>AddTrainingQueueClient</c> adds; a bare <see cref="HttpClient"/> works but retries nothing.
    /// </param>
    /// <param name="options">The service address and API key; validated here as well as at start-up.</param>
    /// <param name="logger">Receives submissions.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public TrainingQueueClient(HttpClient httpClient, IOptions<TrainingQueueClientOptions> options, ILogger<TrainingQueueClient> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        TrainingQueueClientOptionsValidation.ThrowIfInvalid(settings);
        _httpClient = httpClient;
        var address = settings.BaseAddress!.ToString();
        _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/", UriKind.Absolute);
        _apiKey = settings.ApiKey;
        _logger = logger;
    }

    /// <summary>
    /// Queues a <c>CreateTrainingJob</c> request (<c>POST /v1/jobs</c>). The job's priority is the value of
    /// its priority tag. Repeating an identical submission returns the queued job with
    /// <see cref="TrainingJobSubmission.Created"/> false.
    /// </summary>
    /// <param name="request">The request, exactly as it would go to SageMaker.</param>
    /// <param name="idempotencyKey">The key that identifies this submission; a new one is made when null. At most 256 characters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queued job, and whether this call queued it (false for a repeated submission).</returns>
    /// <exception cref="QueuedJobValidationException">The request breaks a rule; nothing was queued.</exception>
    /// <exception cref="QueuedJobConflictException">The name or key is taken by a different request.</exception>
    /// <exception cref="TrainingQueueUnavailableException">The service kept failing; whether the job was queued is unknown.</exception>
    public async Task<TrainingJobSubmission> SubmitAsync(CreateTrainingJobRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (idempotencyKey is { Length: > 256 })
        {
            throw new ArgumentException("An idempotency key is limited to 256 characters.", nameof(idempotencyKey));
        }

        var key = string.IsNullOrEmpty(idempotencyKey) ? Guid.NewGuid().ToString("N") : idempotencyKey;
        var body = JsonSerializer.SerializeToUtf8Bytes(request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, "v1/jobs")) { Content = Json(body) };

        // Set once on the message: the resilience handler sends this message (or its copy) on every retry.
        message.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, key);
        using var response = await SendAsync(message, request.TrainingJobName, cancellationToken).ConfigureAwait(false);
        var job = await ReadAsync(response, QueueJsonContext.Default.TrainingJobResource, cancellationToken).ConfigureAwait(false);
        var created = response.StatusCode == HttpStatusCode.Accepted;
        TrainingQueueClientLog.Submitted(_logger, job.Name, created, job.State, job.QueuePosition);
        return new TrainingJobSubmission(job, created, key);
    }

    /// <summary>
    /// Asks what submitting <paramref name="request"/> now would do (<c>POST /v1/what-if</c>), storing nothing: its place
    /// in line, its expected start, and the running jobs it would preempt at once or later with the work they would lose.
    /// The request is validated exactly as <see cref="SubmitAsync"/> validates it.
    /// </summary>
    /// <param name="request">The request, exactly as it would be submitted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The what-if answer.</returns>
    /// <exception cref="QueuedJobValidationException">The request breaks a rule; a submission would be refused.</exception>
    public async Task<WhatIfResource> WhatIfAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, "v1/what-if")) { Content = Json(body) };
        using var response = await SendAsync(message, request.TrainingJobName, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, QueueJsonContext.Default.WhatIfResource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a queued job (<c>GET /v1/jobs/{name}</c>).</summary>
    /// <param name="name">The job's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job: state, priority, queue position, reason, attempts and history.</returns>
    /// <exception cref="QueuedJobNotFoundException">The queue has no job of that name.</exception>
    public async Task<TrainingJobResource> GetJobAsync(string name, CancellationToken cancellationToken = default) =>
        await FindJobAsync(name, cancellationToken).ConfigureAwait(false)
        ?? throw new QueuedJobNotFoundException(name, $"No queued training job is named '{name}'.");

    /// <summary>Reads a queued job, or returns null when the queue has no job of that name.</summary>
    /// <param name="name">The job's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job; null when the queue has no job of that name.</returns>
    public async Task<TrainingJobResource?> FindJobAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var message = new HttpRequestMessage(HttpMethod.Get, JobUri(name));
        try
        {
            using var response = await SendAsync(message, name, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(response, QueueJsonContext.Default.TrainingJobResource, cancellationToken).ConfigureAwait(false);
        }
        catch (QueuedJobNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Reads one page of jobs in queue order (<c>GET /v1/jobs</c>).</summary>
    /// <param name="state">Only jobs in this state; all when null.</param>
    /// <param name="pageSize">The largest page wanted (the service allows 1–100 by default; 50 when null).</param>
    /// <param name="pageToken">The <see cref="JobPage.NextPageToken"/> of the previous page; null for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, and the token of the next one (null on the last).</returns>
    public async Task<JobPage> ListJobsAsync(JobState? state = null, int? pageSize = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (state is { } s)
        {
            query.Add("state=" + JobStateName(s));
        }

        if (pageSize is { } size)
        {
            query.Add("pageSize=" + size.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Add("pageToken=" + Uri.EscapeDataString(pageToken));
        }

        var path = query.Count == 0 ? "v1/jobs" : "v1/jobs?" + string.Join('&', query);
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, path));
        using var response = await SendAsync(message, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, QueueJsonContext.Default.JobPage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every job in queue order, page by page.</summary>
    /// <param name="state">Only jobs in this state; all when null.</param>
    /// <param name="pageSize">The page size to read with; the service's default when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The jobs, read a page at a time as the enumeration goes on.</returns>
    public async IAsyncEnumerable<TrainingJobResource> ListAllJobsAsync(JobState? state = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListJobsAsync(state, pageSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var job in page.Items)
            {
                yield return job;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>
    /// Cancels a waiting job, or stops one that has started (<c>DELETE /v1/jobs/{name}</c>). Asking again while it
    /// stops changes nothing.
    /// </summary>
    /// <param name="name">The job's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job after the change: cancelled, or stopping.</returns>
    /// <exception cref="QueuedJobNotFoundException">The queue has no job of that name.</exception>
    /// <exception cref="QueuedJobFinishedException">The job has already ended.</exception>
    public async Task<TrainingJobResource> CancelJobAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var message = new HttpRequestMessage(HttpMethod.Delete, JobUri(name));
        using var response = await SendAsync(message, name, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, QueueJsonContext.Default.TrainingJobResource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes a job's priority (<c>PATCH /v1/jobs/{name}</c>). A waiting job moves in the queue at once; a
    /// running job's new priority counts the next time preemption is considered.
    /// </summary>
    /// <param name="name">The job's name.</param>
    /// <param name="priority">The new priority; higher runs first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job after the change, with its new queue position.</returns>
    /// <exception cref="QueuedJobNotFoundException">The queue has no job of that name.</exception>
    /// <exception cref="QueuedJobFinishedException">The job has already ended.</exception>
    public async Task<TrainingJobResource> ChangePriorityAsync(string name, int priority, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = JsonSerializer.SerializeToUtf8Bytes(new JobPatch { Priority = priority }, QueueJsonContext.Default.JobPatch);
        using var message = new HttpRequestMessage(HttpMethod.Patch, JobUri(name)) { Content = Json(body) };
        using var response = await SendAsync(message, name, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, QueueJsonContext.Default.TrainingJobResource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads each instance pool's capacity and use (<c>GET /v1/capacity</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Each pool's capacity, used and free instances.</returns>
    public async Task<CapacityResource> GetCapacityAsync(CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, "v1/capacity"));
        using var response = await SendAsync(message, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, QueueJsonContext.Default.CapacityResource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads each team's standing in each pool (<c>GET /v1/teams</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per team and pool: quota, lending, in use, borrowed, lent, waiting and fair-share usage.</returns>
    public async Task<TeamsResource> GetTeamsAsync(CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, "v1/teams"));
        using var response = await SendAsync(message, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, QueueJsonContext.Default.TeamsResource, cancellationToken).ConfigureAwait(false);
    }

    internal static string JobStateName(JobState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                    ?? throw new TrainingQueueException("The queue service answered with an empty body.", response.StatusCode, null);
            }
        }
        catch (JsonException ex)
        {
            throw new TrainingQueueException($"The queue service's answer is not the expected JSON: {ex.Message}", ex);
        }
    }

    private Uri JobUri(string name) => new(_baseAddress, "v1/jobs/" + Uri.EscapeDataString(name));

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage message, string? jobName, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        if (message.Headers.Accept.Count == 0)
        {
            message.Headers.Accept.ParseAdd("application/json");
        }

        if (_apiKey is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new TrainingQueueUnavailableException($"The queue service at {_baseAddress} could not be reached after retries: {ex.Message}", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TrainingQueueUnavailableException($"The queue service at {_baseAddress} did not answer in time: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout (when someone set one) surfaces as a cancellation the caller did not ask for.
            throw new TrainingQueueUnavailableException($"The queue service at {_baseAddress} did not answer in time.", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemReader.ReadAsync(response, jobName, cancellationToken).ConfigureAwait(false);
        }
    }
}
