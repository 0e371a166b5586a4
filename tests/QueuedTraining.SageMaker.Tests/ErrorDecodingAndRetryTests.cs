using System.Net;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker.Tests.Fixtures;

namespace QueuedTraining.SageMaker.Tests;

/// <summary>Error decoding and retries against a loopback server answering in SageMaker's wire format.</summary>
public sealed class ErrorDecodingAndRetryTests : IAsyncDisposable
{
    private const string Arn = """{"TrainingJobArn":"arn:aws:sagemaker:us-east-1:123456789012:training-job/job"}""";

    private readonly FakeSageMakerServer _server = new();
    private readonly HttpClient _httpClient = TestClients.CreateHttpClient();
    private readonly SageMakerTrainingClient _client;

    public ErrorDecodingAndRetryTests()
    {
        _client = TestClients.Create(_server.ServiceUrl, _httpClient, configure: o => o.MaxRetryAttempts = 2);
    }

    public async ValueTask DisposeAsync()
    {
        _httpClient.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ThrottledOnce_RetriesAndSucceeds()
    {
        _server.EnqueueError(400, "com.amazon.coral.availability#ThrottlingException", "Rate exceeded");
        _server.Enqueue(200, Arn);

        var response = await _client.CreateTrainingJobAsync(new() { TrainingJobName = "job" });

        Assert.EndsWith("training-job/job", response.TrainingJobArn);
        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=", r.Header("Authorization")));
        Assert.Equal(_server.Requests.First().BodyText, _server.Requests.Last().BodyText);
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ServerErrorOnce_RetriesAndSucceeds()
    {
        _server.EnqueueError(500, "InternalFailure", "We encountered an internal error. Please try again.");
        _server.Enqueue(200, Arn);

        await _client.CreateTrainingJobAsync(new() { TrainingJobName = "job" });

        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ConnectionDroppedOnce_RetriesAndSucceeds()
    {
        _server.EnqueueDroppedConnection();
        _server.Enqueue(200, Arn);

        await _client.CreateTrainingJobAsync(new() { TrainingJobName = "job" });

        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ThrottledOnEveryAttempt_ThrowsThrottlingAfterMaxAttempts()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Enqueue(429, """{"__type":"ThrottlingException","Message":"Rate exceeded"}""");
        }

        var error = await Assert.ThrowsAsync<SageMakerThrottlingException>(() => _client.CreateTrainingJobAsync(new() { TrainingJobName = "job" }));

        Assert.Equal("Rate exceeded", error.Message);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ValidationException_ThrowsWithoutRetry()
    {
        _server.EnqueueError(400, "ValidationException", "1 validation error detected: Value 'bad name' at 'trainingJobName' failed to satisfy constraint");

        var error = await Assert.ThrowsAsync<SageMakerValidationException>(() => _client.CreateTrainingJobAsync(new() { TrainingJobName = "bad name" }));

        Assert.StartsWith("1 validation error detected", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ResourceLimitExceeded_ThrowsTypedExceptionWithoutRetry()
    {
        _server.EnqueueError(400, "com.amazonaws.sagemaker#ResourceLimitExceeded", "The account-level service limit 'ml.p5.48xlarge for training job usage' is 0 Instances.");

        var error = await Assert.ThrowsAsync<SageMakerResourceLimitExceededException>(() => _client.CreateTrainingJobAsync(new() { TrainingJobName = "job" }));

        Assert.Equal(SageMakerErrorCodes.ResourceLimitExceeded, error.ErrorCode);
        Assert.Contains("ml.p5.48xlarge", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task DescribeTrainingJobAsync_ResourceNotFound_ThrowsTypedException()
    {
        _server.EnqueueError(400, "com.amazonaws.sagemaker#ResourceNotFound", "Training job 'ghost' does not exist.");

        var error = await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(() => _client.DescribeTrainingJobAsync(new() { TrainingJobName = "ghost" }));

        Assert.Equal("Training job 'ghost' does not exist.", error.Message);
    }

    [Theory]
    [InlineData("Requested resource not found.")]
    [InlineData("Could not find training job 'arn:aws:sagemaker:us-east-1:123456789012:training-job/ghost'.")]
    public async Task DescribeTrainingJobAsync_ValidationExceptionSayingNotFound_ThrowsResourceNotFound(string message)
    {
        _server.EnqueueError(400, "ValidationException", message);

        var error = await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(() => _client.DescribeTrainingJobAsync(new() { TrainingJobName = "ghost" }));

        Assert.Equal(message, error.Message);
        Assert.Equal(SageMakerErrorCodes.ResourceNotFound, error.ErrorCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task StopTrainingJobAsync_ValidationExceptionSayingNotFound_ThrowsResourceNotFound()
    {
        _server.EnqueueError(400, "ValidationException", "Requested resource not found.");

        await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(() => _client.StopTrainingJobAsync(new() { TrainingJobName = "ghost" }));
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ValidationExceptionSayingNotFound_StaysValidationException()
    {
        _server.EnqueueError(400, "ValidationException", "Could not find role arn:aws:iam::123456789012:role/missing.");

        var error = await Assert.ThrowsAsync<SageMakerValidationException>(() => _client.CreateTrainingJobAsync(new() { TrainingJobName = "job" }));

        Assert.Contains("Could not find role", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeTrainingJobAsync_OtherValidationException_StaysValidationException()
    {
        _server.EnqueueError(400, "ValidationException", "1 validation error detected: Value 'bad_name' at 'trainingJobName' failed to satisfy constraint.");

        await Assert.ThrowsAsync<SageMakerValidationException>(() => _client.DescribeTrainingJobAsync(new() { TrainingJobName = "bad_name" }));
    }

    [Fact]
    public async Task CreateTrainingJobAsync_ErrorTypeOnlyInHeader_DecodesNameBeforeColon()
    {
        _server.Enqueue(400, string.Empty, ("x-amzn-ErrorType", "ResourceInUse:http://internal.amazon.com/coral/com.amazonaws.sagemaker/"));

        var error = await Assert.ThrowsAsync<SageMakerResourceInUseException>(() => _client.CreateTrainingJobAsync(new() { TrainingJobName = "job" }));

        Assert.Equal(SageMakerErrorCodes.ResourceInUse, error.ErrorCode);
    }

    [Fact]
    public async Task StopTrainingJobAsync_EmptyBody_ReturnsEmptyResponse()
    {
        _server.Enqueue(200, string.Empty);

        var response = await _client.StopTrainingJobAsync(new() { TrainingJobName = "job" });

        Assert.NotNull(response);
        Assert.Equal("SageMaker.StopTrainingJob", Assert.Single(_server.Requests).Header("X-Amz-Target"));
    }
}
