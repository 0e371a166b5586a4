using System.Net;
using System.Text;
using Amazon.Runtime;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;
using QueuedTraining.SageMaker.Signing;
using QueuedTraining.Testing.Server;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>
/// Thousands of malformed and adversarial requests against both surfaces of one running service: wrong types, huge
/// numbers, deep nesting, control and exotic characters, header abuse, bad signatures. None may answer 5xx, none that
/// is refused may store or change anything, and the service must still answer afterwards.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private const int Requests = 2_000;

    private static readonly string[] HostileValues =
    [
        "1e300", "-1e300", "-1", "0", "2147483648", "-2147483649", "1.5", "NaN", "\"\"", "\"yesterday\"", "\"7\"",
        "\"\\u0000\"", "\"abc\\n\"", "\"\\ud800\"", "\"\u202e\u0663\uff17\"", "null", "true", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]",
        "\"" + new string('x', 5000) + "\"", "{\"$ref\":\"#\"}", "\"../../etc/passwd\"", "\"job-1; DROP TABLE jobs\"",
    ];

    private static readonly string[] Fields =
    [
        "TrainingJobName", "RoleArn", "ResourceConfig", "ResourceConfig.InstanceType", "ResourceConfig.InstanceCount", "Tags",
        "Tags.0.Value", "Tags.0.Key", "HyperParameters", "HyperParameters.lr", "StoppingCondition.MaxRuntimeInSeconds",
        "priority", "MaxResults", "NextToken", "StatusEquals", "CreationTimeAfter", "NameContains",
    ];

    private static readonly string[] ContentTypes = ["application/json", "application/x-amz-json-1.1", "text/plain", "application/json; charset=utf-16", ""];

    private static readonly string[] Targets =
        ["SageMaker.CreateTrainingJob", "SageMaker.DescribeTrainingJob", "SageMaker.ListTrainingJobs", "SageMaker.StopTrainingJob", "SageMaker.DeleteEverything", ""];

    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync(settings: new Dictionary<string, string?>
    {
        ["QueuedTraining:Auth:AccessKeys:" + AccessKeys.Alice] = AccessKeys.AliceSecret,
        ["QueuedTraining:RateLimit:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task AnyHostileRequest_NeverAnswers5xxNorChangesWhatItRefused()
    {
        var store = _service.Services.GetRequiredService<IJobStore>();
        await _service.SubmitAsync(HostileBodies.Valid("existing-job"));

        await HostileRequest.SampleAsync(
            async request =>
            {
                var before = await FingerprintAsync(store);
                using var response = await SendAsync(request);
                var status = (int)response.StatusCode;
                Assert.True(status < 500, $"{request} answered {status}: {await response.Content.ReadAsStringAsync()}");
                if (status is < 200 or > 299)
                {
                    var after = await FingerprintAsync(store);
                    Assert.True(before.SetEquals(after), $"{request} was refused with {status} yet changed the jobs: gone [{string.Join(", ", before.Except(after))}], new [{string.Join(", ", after.Except(before))}]");
                }
            },
            iter: Requests,
            threads: 1);

        Assert.Equal(HttpStatusCode.OK, (await _service.Client.GetAsync("/v1/capacity")).StatusCode);
    }

    private static Gen<string> Body =>
        Gen.OneOf(
            Gen.Select(Gen.Int[0, Fields.Length - 1], Gen.Int[0, HostileValues.Length - 1], (f, v) => HostileBodies.Mutated(Fields[f], HostileValues[v])),
            Gen.Byte.Array[0, 64].Select(bytes => Encoding.Latin1.GetString(bytes)),
            Gen.Int[1, 3000].Select(depth => new string('[', depth) + new string(']', depth)),
            Gen.Int[1, 200].Select(cut => HostileBodies.Mutated("NameContains", "\"x\"")[..Math.Min(cut, 120)]),
            Gen.Const(string.Empty));

    private static Gen<HostileCall> HostileRequest =>
        Gen.Select(Gen.Int[0, 7], Body, Gen.Int[0, ContentTypes.Length - 1], Gen.Int[0, HostileValues.Length - 1], Gen.Int[0, Targets.Length - 1], Gen.Int[0, 9])
            .Select((kind, body, contentType, value, target, signature) => new HostileCall(kind, body, ContentTypes[contentType], HostileValues[value], Targets[target], signature));

    private Task<HttpResponseMessage> SendAsync(HostileCall call)
    {
        var name = Uri.EscapeDataString(call.Value.Trim('"'));
        var message = call.Kind switch
        {
            0 or 1 => new HttpRequestMessage(HttpMethod.Post, "/v1/jobs"),
            2 => new HttpRequestMessage(HttpMethod.Patch, "/v1/jobs/existing-job"),
            3 => new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs?state={name}&pageSize={name}&pageToken={name}"),
            4 => new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{name}"),
            5 => new HttpRequestMessage(HttpMethod.Delete, $"/v1/jobs/{name}"),
            _ => Signed(call),
        };

        if (call.Kind < 6)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(call.Body));
            if (call.ContentType.Length > 0)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType);
            }

            // HTTP/1.1 headers are ASCII: the client itself refuses anything else, so only such values can be sent.
            if (call.Value.All(char.IsAscii))
            {
                message.Headers.TryAddWithoutValidation("Idempotency-Key", call.Value);
            }
        }

        return _service.Client.SendAsync(message);
    }

    /// <summary>A SageMaker-protocol call signed with a real key over the hostile body; sometimes the signature is broken.</summary>
    private HttpRequestMessage Signed(HostileCall call)
    {
        var body = Encoding.UTF8.GetBytes(call.Body);
        var headers = SageMakerRequestSigner.Sign(
            _service.Client.BaseAddress!, call.Target, body, new ImmutableCredentials(AccessKeys.Alice, AccessKeys.AliceSecret, null), "us-east-1", DateTime.UtcNow);
        var message = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", headers["Content-Type"]);
        foreach (var (header, value) in headers.Where(h => h.Key is not ("Content-Type" or "Content-Length" or "Host")))
        {
            var sent = header == "Authorization" && call.Signature == 0 ? value[..^1] + (value[^1] == '0' ? '1' : '0') : value;
            message.Headers.TryAddWithoutValidation(header, sent);
        }

        return message;
    }

    /// <summary>
    /// What a request could change about the jobs: which exist, their priorities, and whether a stop or cancel was
    /// asked. The scheduler keeps starting accepted jobs meanwhile, so states it sets (and versions) are left out; a
    /// stop asked earlier is read from the history too, because a stopping job may still end Completed on its own.
    /// </summary>
    private static async Task<HashSet<string>> FingerprintAsync(IJobStore store)
    {
        var parts = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await store.ListAsync(new JobListQuery(null, 500, token));
            parts.UnionWith(page.Jobs.Select(j => $"{j.Name}:{j.Priority}:{StopAsked(j)}"));
            token = page.NextPageToken;
        }
        while (token is not null);
        return parts;
    }

    private static bool StopAsked(QueuedJob job) =>
        job.State is JobState.Cancelled or JobState.Stopping or JobState.Stopped || job.History.Any(entry => entry.State is JobState.Stopping);

    private sealed record HostileCall(int Kind, string Body, string ContentType, string Value, string Target, int Signature)
    {
        public override string ToString() =>
            $"kind {Kind}, content type '{ContentType}', value {Value[..Math.Min(Value.Length, 40)]}, target '{Target}', body {Body[..Math.Min(Body.Length, 1500)]}";
    }
}
