using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker.Tests.Fixtures;

namespace QueuedTraining.SageMaker.Tests;

/// <summary>The client's SigV4 signature, taken off the wire, against botocore's for the same request.</summary>
public sealed class SignatureCrossCheckTests
{
    private static readonly DateTimeOffset FixedTime = new(2024, 5, 1, 12, 34, 56, TimeSpan.Zero);

    [Theory]
    [InlineData(null)]
    [InlineData("FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDExample+Token=")]
    public async Task CreateTrainingJobAsync_FixedInputs_AuthorizationEqualsBotocore(string? sessionToken)
    {
        await using var server = new FakeSageMakerServer();
        server.Enqueue(200, """{"TrainingJobArn":"arn:aws:sagemaker:eu-west-1:123456789012:training-job/fixed"}""");
        using var httpClient = TestClients.CreateHttpClient();
        var client = TestClients.Create(server.ServiceUrl, httpClient, new FakeTimeProvider(FixedTime), o =>
        {
            o.Region = "eu-west-1";
            o.SessionToken = sessionToken;
        });

        await client.CreateTrainingJobAsync(new CreateTrainingJobRequest
        {
            TrainingJobName = "fixed",
            RoleArn = "arn:aws:iam::123456789012:role/SageMakerRole",
            HyperParameters = new() { ["epochs"] = "3", ["lr"] = "0.1" },
        });

        var sent = Assert.Single(server.Requests);
        var authorization = sent.Header("Authorization")!;
        var signedNames = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var toSign = sent.Headers
            .Where(h => signedNames.Contains(h.Key.ToLowerInvariant()) && !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value);

        var botocore = await Botocore.SignAsync(
            "POST", server.ServiceUrl, toSign, sent.Body, TestClients.AccessKey, TestClients.SecretKey, sessionToken, "eu-west-1", FixedTime);

        Assert.Equal(botocore["Authorization"], authorization);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/", sent.Target);
        Assert.Equal("application/x-amz-json-1.1", sent.Header("Content-Type"));
        Assert.Equal("SageMaker.CreateTrainingJob", sent.Header("X-Amz-Target"));
        Assert.Equal("20240501T123456Z", sent.Header("X-Amz-Date"));
        Assert.Equal(sessionToken, sent.Header("X-Amz-Security-Token"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sent.Body)), sent.Header("X-Amz-Content-SHA256"));
        Assert.Contains("Credential=AKIDEXAMPLE/20240501/eu-west-1/sagemaker/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Equal(sessionToken is null
            ? ["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-target"]
            : ["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token", "x-amz-target"], signedNames);
    }
}
