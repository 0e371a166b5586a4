using System.Net;
using System.Net.Sockets;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker.Tests.Fixtures;

namespace QueuedTraining.SageMaker.Tests;

/// <summary>
/// Calls that get no answer still fail as <see cref="SageMakerException"/>, as <see cref="ISageMakerTrainingClient"/>
/// promises: no credentials to sign with, or nothing listening.
/// </summary>
public sealed class ClientFailureTests
{
    [Fact]
    public async Task DescribeTrainingJob_NoCredentialsAnywhere_ThrowsSageMakerClientExceptionSayingWhatToSet()
    {
        Assert.True(
            Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is null && Environment.GetEnvironmentVariable("AWS_PROFILE") is null,
            "This test needs an environment without AWS credentials (unset AWS_ACCESS_KEY_ID and AWS_PROFILE).");
        using var http = TestClients.CreateHttpClient();
        var client = TestClients.Create(ClosedPort(), http, configure: o =>
        {
            o.AccessKey = null;
            o.SecretKey = null;
            o.MaxRetryAttempts = 0;
        });

        var error = await Assert.ThrowsAsync<SageMakerClientException>(
            () => client.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = "job" }));

        Assert.Equal(SageMakerErrorCodes.CredentialsUnavailable, error.ErrorCode);
        Assert.IsAssignableFrom<Amazon.Runtime.AmazonClientException>(error.InnerException);
        Assert.Contains("AccessKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeTrainingJob_NothingListening_ThrowsSageMakerClientExceptionAfterRetries()
    {
        using var http = TestClients.CreateHttpClient();
        var client = TestClients.Create(ClosedPort(), http, configure: o => o.MaxRetryAttempts = 1);

        var error = await Assert.ThrowsAsync<SageMakerClientException>(
            () => client.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = "job" }));

        Assert.Equal(SageMakerErrorCodes.TransportFailure, error.ErrorCode);
        Assert.Equal(default, error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    private static Uri ClosedPort()
    {
        // A port that was free a moment ago: connecting to it is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
