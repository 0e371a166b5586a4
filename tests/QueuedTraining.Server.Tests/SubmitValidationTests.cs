using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>Every bad submission gets a clear 400 (or 413) naming the field, and nothing is stored.</summary>
public sealed class SubmitValidationTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    public static TheoryData<string, string, string, string?> BadRequests()
    {
        var data = new TheoryData<string, string, string, string?>();
        data.Add("missing name", Json(r => r.TrainingJobName = null), ProblemCodes.InvalidJobName, "TrainingJobName");
        data.Add("empty name", Json(r => r.TrainingJobName = string.Empty), ProblemCodes.InvalidJobName, "TrainingJobName");
        data.Add("name with underscore", Json(r => r.TrainingJobName = "bad_name"), ProblemCodes.InvalidJobName, "TrainingJobName");
        data.Add("name ending in hyphen", Json(r => r.TrainingJobName = "bad-"), ProblemCodes.InvalidJobName, "TrainingJobName");
        data.Add("64-character name", Json(r => r.TrainingJobName = new string('a', 64)), ProblemCodes.InvalidJobName, "TrainingJobName");
        data.Add("name with a trailing newline", Json(r => r.TrainingJobName = "abc\n"), ProblemCodes.InvalidJobName, "TrainingJobName");
        data.Add("72-character name made long with hyphens", Json(r => r.TrainingJobName = "a" + new string('-', 70) + "b"), ProblemCodes.InvalidJobName, "TrainingJobName");
        data.Add("51 tags", Json(r => r.Tags = Enumerable.Range(0, 51).Select(i => new Tag { Key = $"k{i}", Value = "v" }).ToList()), ProblemCodes.TooManyTags, "Tags");
        data.Add("priority not an integer", Json(r => r.Tags = [new Tag { Key = "priority", Value = "high" }]), ProblemCodes.InvalidPriority, "Tags[0].Value");
        data.Add("fractional priority", Json(r => r.Tags = [new Tag { Key = "team", Value = "x" }, new Tag { Key = "priority", Value = "1.5" }]), ProblemCodes.InvalidPriority, "Tags[1].Value");
        data.Add("unconfigured instance type", Json(r => r.ResourceConfig!.InstanceType = "ml.m5.large"), ProblemCodes.UnknownInstanceType, "ResourceConfig.InstanceType");
        data.Add("missing resource config", Json(r => r.ResourceConfig = null), ProblemCodes.MissingField, "ResourceConfig");
        data.Add("more instances than the pool", Json(r => r.ResourceConfig!.InstanceCount = 3), ProblemCodes.InsufficientCapacity, "ResourceConfig.InstanceCount");
        data.Add("missing role", Json(r => r.RoleArn = null), ProblemCodes.MissingField, "RoleArn");
        data.Add("missing algorithm specification", Json(r => r.AlgorithmSpecification = null), ProblemCodes.MissingField, "AlgorithmSpecification");
        data.Add("missing training input mode", Json(r => r.AlgorithmSpecification!.TrainingInputMode = null), ProblemCodes.MissingField, "AlgorithmSpecification.TrainingInputMode");
        data.Add("unknown training input mode", Json(r => r.AlgorithmSpecification!.TrainingInputMode = "Stream"), ProblemCodes.InvalidField, "AlgorithmSpecification.TrainingInputMode");
        data.Add("neither image nor algorithm", Json(r => r.AlgorithmSpecification!.TrainingImage = null), ProblemCodes.MissingField, "AlgorithmSpecification.TrainingImage");
        data.Add("both image and algorithm", Json(r => r.AlgorithmSpecification!.AlgorithmName = "xgboost"), ProblemCodes.InvalidField, "AlgorithmSpecification.TrainingImage");
        data.Add("missing output data config", Json(r => r.OutputDataConfig = null), ProblemCodes.MissingField, "OutputDataConfig");
        data.Add("output path without a bucket", Json(r => r.OutputDataConfig!.S3OutputPath = "s3:///x"), ProblemCodes.InvalidField, "OutputDataConfig.S3OutputPath");
        data.Add("output path not S3", Json(r => r.OutputDataConfig!.S3OutputPath = "file:///tmp"), ProblemCodes.InvalidField, "OutputDataConfig.S3OutputPath");
        data.Add("missing stopping condition", Json(r => r.StoppingCondition = null), ProblemCodes.MissingField, "StoppingCondition");
        data.Add("missing max runtime", Json(r => r.StoppingCondition!.MaxRuntimeInSeconds = null), ProblemCodes.MissingField, "StoppingCondition.MaxRuntimeInSeconds");
        data.Add("max runtime over 28 days", Json(r => r.StoppingCondition!.MaxRuntimeInSeconds = 28 * 24 * 3600 + 1), ProblemCodes.InvalidField, "StoppingCondition.MaxRuntimeInSeconds");
        data.Add("max wait without spot", Json(r => r.StoppingCondition!.MaxWaitTimeInSeconds = 90000), ProblemCodes.InvalidField, "StoppingCondition.MaxWaitTimeInSeconds");
        data.Add("checkpoint without a URI", Json(r => r.CheckpointConfig = new CheckpointConfig { LocalPath = "/opt/ml/checkpoints" }), ProblemCodes.MissingField, "CheckpointConfig.S3Uri");
        data.Add("missing instance count", Json(r => r.ResourceConfig!.InstanceCount = null), ProblemCodes.MissingField, "ResourceConfig.InstanceCount");
        data.Add("priority tag twice", Json(r => r.Tags = [new Tag { Key = "priority", Value = "1" }, new Tag { Key = "priority", Value = "900" }]), ProblemCodes.DuplicateTag, "Tags[1].Key");
        data.Add("priority tag capitalised", Json(r => r.Tags = [new Tag { Key = "Priority", Value = "90" }]), ProblemCodes.AmbiguousPriority, "Tags[0].Key");
        data.Add("malformed JSON", """{"TrainingJobName": "a",""", ProblemCodes.MalformedJson, null);
        data.Add("lone surrogate in an unmodelled member", Json(_ => { })[..^1] + ""","Extra":"\ud800"}""", ProblemCodes.InvalidField, "Extra");
        data.Add("not an object", "[1,2,3]", ProblemCodes.MalformedJson, null);
        data.Add("instance count as text", """{"TrainingJobName":"a","ResourceConfig":{"InstanceType":"ml.p5.48xlarge","InstanceCount":"two"}}""", ProblemCodes.MalformedJson, "ResourceConfig.InstanceCount");
        data.Add("empty body", string.Empty, ProblemCodes.MalformedJson, null);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task PostJob_BadRequest_Returns400WithCodeAndFieldAndStoresNothing(string scenario, string body, string code, string? field)
    {
        var response = await _service.Client.PostAsync("/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{scenario}: {response.StatusCode}");
        var problem = await ProblemReader.ReadAsync(response);
        Assert.Equal(code, problem.Code);
        Assert.Equal(field, problem.Field);
        Assert.Empty((await _service.ListAsync()).Items);
    }

    [Fact]
    public async Task PostJob_OversizedBody_Returns413AndStoresNothing()
    {
        var request = TestJobs.Request("big");
        request.Environment = new Dictionary<string, string> { ["PAD"] = new string('x', 2 * 1024 * 1024) };

        var response = await _service.Client.PostAsync("/v1/jobs", new StringContent(JsonSerializer.Serialize(request, SageMakerJsonContext.Default.CreateTrainingJobRequest), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ProblemCodes.BodyTooLarge, (await ProblemReader.ReadAsync(response)).Code);
        Assert.Empty((await _service.ListAsync()).Items);
    }

    [Fact]
    public async Task PostJob_OversizedChunkedBody_Returns413AndStoresNothing()
    {
        // No Content-Length: the limit is enforced while the body arrives, not from the header.
        var response = await PostChunkedAsync(Padded("big-chunked", 2 * 1024 * 1024));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ProblemCodes.BodyTooLarge, (await ProblemReader.ReadAsync(response)).Code);
        Assert.Empty((await _service.ListAsync()).Items);
    }

    [Fact]
    public async Task PostJob_ChunkedBodyOfManyReadsUnderTheLimit_IsQueuedWhole()
    {
        var response = await PostChunkedAsync(Padded("chunked", 600 * 1024));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await _service.Services.GetRequiredService<IJobStore>().GetAsync("chunked");
        Assert.NotNull(stored);
        Assert.Contains(new string('x', 600 * 1024), stored.RequestJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_SeveralErrors_ListsEveryOne()
    {
        var body = Json(r =>
        {
            r.TrainingJobName = "bad name";
            r.ResourceConfig!.InstanceType = "ml.unknown";
        });

        var response = await _service.Client.PostAsync("/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var fields = document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("TrainingJobName", fields);
        Assert.Contains("ResourceConfig.InstanceType", fields);
    }

    private static string Padded(string name, int padding)
    {
        var request = TestJobs.Request(name);
        request.Environment = new Dictionary<string, string> { ["PAD"] = new string('x', padding) };
        return JsonSerializer.Serialize(request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
    }

    private async Task<HttpResponseMessage> PostChunkedAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TransferEncodingChunked = true;
        return await _service.Client.SendAsync(request);
    }

    private static string Json(Action<CreateTrainingJobRequest> change)
    {
        var request = TestJobs.Request("valid-name", 1);
        change(request);
        return JsonSerializer.Serialize(request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
    }
}
