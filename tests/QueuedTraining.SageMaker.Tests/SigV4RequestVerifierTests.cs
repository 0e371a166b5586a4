using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using QueuedTraining.SageMaker.Tests.Fixtures;
using QueuedTraining.SageMaker.Verification;

namespace QueuedTraining.SageMaker.Tests;

/// <summary>The verifier against requests signed by botocore, as boto3 and the JS SDK v3 sign them, and by our own client.</summary>
public sealed class SigV4RequestVerifierTests
{
    private static readonly DateTimeOffset SignedAt = new(2024, 5, 1, 12, 34, 56, TimeSpan.Zero);
    private static readonly Uri Url = new("http://127.0.0.1:8080/");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"TrainingJobName":"verified-job","RoleArn":"arn:aws:iam::123456789012:role/R"}""");

    [Fact]
    public async Task Verify_SignedLikeBoto3_ReturnsAccessKeyId()
    {
        var request = await SignWithBotocoreAsync(Boto3Headers(), Body);

        var result = Verifier().Verify(request);

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(TestClients.AccessKey, result.AccessKeyId);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,", request.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignedLikeJsSdkV3WithSessionToken_ReturnsAccessKeyId()
    {
        var headers = Boto3Headers();
        headers["amz-sdk-invocation-id"] = "6b1f9e4c-1d2a-4e0b-9a53-4a5c2b7f8d10";
        headers["amz-sdk-request"] = "attempt=1; max=3";
        headers["content-length"] = Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["x-amz-content-sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Body));
        headers["x-amz-user-agent"] = "aws-sdk-js/3.600.0";
        var request = await SignWithBotocoreAsync(headers, Body, token: "session-token-example");

        var result = Verifier().Verify(request);

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Contains(
            "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target;x-amz-user-agent,",
            request.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedBody_ReturnsInvalidSignature()
    {
        var signed = await SignWithBotocoreAsync(Boto3Headers(), Body);
        var tampered = signed with { Body = Encoding.UTF8.GetBytes("""{"TrainingJobName":"other-job","RoleArn":"arn:aws:iam::123456789012:role/R"}""") };

        var result = Verifier().Verify(tampered);

        Assert.False(result.IsValid);
        Assert.Equal(SigV4ErrorCodes.InvalidSignature, result.ErrorCode);
        Assert.StartsWith("The request signature we calculated does not match", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedBodyWithSignedContentHash_ReturnsInvalidSignature()
    {
        var headers = Boto3Headers();
        headers["x-amz-content-sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Body));
        var signed = await SignWithBotocoreAsync(headers, Body);

        var result = Verifier().Verify(signed with { Body = Encoding.UTF8.GetBytes("{}") });

        Assert.Equal(SigV4ErrorCodes.InvalidSignature, result.ErrorCode);
    }

    [Fact]
    public async Task Verify_TargetAddedAfterSigning_IsRefusedAsUnsigned()
    {
        var headers = Boto3Headers();
        headers.Remove("X-Amz-Target");
        var signed = await SignWithBotocoreAsync(headers, Body);
        var sent = new Dictionary<string, string>(signed.Headers) { ["X-Amz-Target"] = "SageMaker.StopTrainingJob" };

        var result = Verifier().Verify(signed with { Headers = sent });

        Assert.False(result.IsValid);
        Assert.Equal(SigV4ErrorCodes.InvalidSignature, result.ErrorCode);
        Assert.Contains("'x-amz-target' header must be signed", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongSecret_ReturnsInvalidSignature()
    {
        var request = await SignWithBotocoreAsync(Boto3Headers(), Body);

        var result = Verifier(secret: "not-the-secret").Verify(request);

        Assert.Equal(SigV4ErrorCodes.InvalidSignature, result.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
    }

    [Fact]
    public async Task Verify_UnknownAccessKey_ReturnsUnrecognizedClient()
    {
        var request = await SignWithBotocoreAsync(Boto3Headers(), Body, accessKey: "AKIDUNKNOWN");

        var result = Verifier().Verify(request);

        Assert.Equal(SigV4ErrorCodes.UnrecognizedClient, result.ErrorCode);
        Assert.Equal("The security token included in the request is invalid.", result.ErrorMessage);
    }

    [Fact]
    public async Task Verify_DateOlderThanFiveMinutes_ReturnsSignatureExpired()
    {
        var request = await SignWithBotocoreAsync(Boto3Headers(), Body);

        var result = Verifier(now: SignedAt.AddMinutes(5).AddSeconds(1)).Verify(request);

        Assert.Equal(SigV4ErrorCodes.InvalidSignature, result.ErrorCode);
        Assert.StartsWith("Signature expired: 20240501T123456Z is now earlier than 20240501T123457Z", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DateWithinFiveMinutes_ReturnsAccessKeyId()
    {
        var request = await SignWithBotocoreAsync(Boto3Headers(), Body);

        Assert.True(Verifier(now: SignedAt.AddMinutes(4)).Verify(request).IsValid);
    }

    [Fact]
    public async Task Verify_WrongRegionInScope_ReturnsInvalidSignature()
    {
        var request = await SignWithBotocoreAsync(Boto3Headers(), Body);

        var result = new SigV4RequestVerifier(Lookup(TestClients.SecretKey), new SigV4RequestVerifierOptions { Region = "eu-west-1" }, new FakeTimeProvider(SignedAt))
            .Verify(request);

        Assert.Equal(SigV4ErrorCodes.InvalidSignature, result.ErrorCode);
        Assert.Contains("valid region", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoAuthorizationHeader_ReturnsMissingAuthenticationToken()
    {
        var request = new SigV4IncomingRequest("POST", "/", null, Boto3Headers(), Body);

        var result = Verifier().Verify(request);

        Assert.Equal(SigV4ErrorCodes.MissingAuthenticationToken, result.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, result.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", result.ToException().ErrorCode);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abcd")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/sagemaker, SignedHeaders=host, Signature=abcd")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public void Verify_GarbledAuthorization_ReturnsIncompleteSignature(string authorization)
    {
        var headers = Boto3Headers();
        headers["Authorization"] = authorization;
        headers["X-Amz-Date"] = "20240501T123456Z";

        var result = Verifier().Verify(new SigV4IncomingRequest("POST", "/", null, headers, Body));

        Assert.Equal(SigV4ErrorCodes.IncompleteSignature, result.ErrorCode);
    }

    [Fact]
    public async Task Verify_RequestSentBySageMakerTrainingClient_ReturnsAccessKeyId()
    {
        await using var server = new FakeSageMakerServer();
        server.Enqueue(200, """{"TrainingJobName":"x"}""");
        using var httpClient = TestClients.CreateHttpClient();
        var client = TestClients.Create(server.ServiceUrl, httpClient, new FakeTimeProvider(SignedAt));
        await client.DescribeTrainingJobAsync(new() { TrainingJobName = "x" });
        var sent = Assert.Single(server.Requests);

        var result = Verifier().Verify(new SigV4IncomingRequest(
            sent.Method, sent.Target, null, sent.Headers.ToDictionary(h => h.Key, h => h.Value), sent.Body));

        Assert.True(result.IsValid, result.ErrorMessage);
    }

    private static Dictionary<string, string> Boto3Headers() => new()
    {
        ["Content-Type"] = "application/x-amz-json-1.1",
        ["X-Amz-Target"] = "SageMaker.CreateTrainingJob",
    };

    private static async Task<SigV4IncomingRequest> SignWithBotocoreAsync(
        Dictionary<string, string> headers, byte[] body, string accessKey = TestClients.AccessKey, string? token = null)
    {
        var signed = await Botocore.SignAsync("POST", Url, headers, body, accessKey, TestClients.SecretKey, token, "us-east-1", SignedAt);

        // botocore signs the host from the URL; on the wire (and to the server) it arrives as a header.
        signed["Host"] = Url.Authority;
        return new SigV4IncomingRequest("POST", "/", null, signed, body);
    }

    private static SigV4RequestVerifier Verifier(string secret = TestClients.SecretKey, DateTimeOffset? now = null) =>
        new(Lookup(secret), timeProvider: new FakeTimeProvider(now ?? SignedAt));

    private static Func<string, string?> Lookup(string secret) =>
        accessKey => accessKey == TestClients.AccessKey ? secret : null;
}
