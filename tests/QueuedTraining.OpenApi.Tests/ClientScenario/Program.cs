// Calls the queue service through the client Kiota generated from the service's OpenAPI document (namespace
// QueueApi, written beside this file by GeneratedClientTests), and prints what it saw as "key=value" lines for
// the test to check. A failure outside the expected problems exits non-zero with the exception.
//
// args: <base url> <alice's API key> <bob's API key> <job name>
using System.Globalization;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using QueueApi;
using QueueApi.Models;

var (baseUrl, aliceKey, bobKey, name) = (args[0], args[1], args[2], args[3]);
var alice = Connect(new HeaderKey("Authorization", "Bearer " + aliceKey));   // the "bearer" scheme
var bob = Connect(new HeaderKey("X-Api-Key", bobKey));                       // the "apiKey" scheme
var stranger = Connect(new HeaderKey("Authorization", "Bearer not-a-key"));

var submitted = await alice.V1.Jobs.PostAsync(new CreateTrainingJobRequest
{
    TrainingJobName = name,
    RoleArn = "arn:aws:iam::123456789012:role/SageMakerRole",
    AlgorithmSpecification = new AlgorithmSpecification { TrainingImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1", TrainingInputMode = "File" },
    OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://bucket/output" },
    ResourceConfig = new ResourceConfig { InstanceType = "ml.m5.large", InstanceCount = 1, VolumeSizeInGB = 10 },
    StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 3600 },
    HyperParameters = new CreateTrainingJobRequest_HyperParameters { AdditionalData = { ["sim_duration_seconds"] = "600" } },
    Tags = [new Tag { Key = "priority", Value = "5" }],
});
Print("submit.name", submitted?.Name);
Print("submit.owner", submitted?.Owner);
Print("submit.priority", submitted?.Priority);
Print("submit.instanceType", submitted?.InstanceType);

var fetched = await alice.V1.Jobs[name].GetAsync();
Print("get.name", fetched?.Name);
Print("get.state", fetched?.State?.ToString());

var changed = await alice.V1.Jobs[name].PatchAsync(new JobPatch { Priority = 42 });
Print("patch.priority", changed?.Priority);

var page = await alice.V1.Jobs.GetAsync(r => r.QueryParameters.PageSize = 10);
Print("list.names", string.Join(",", page?.Items?.Select(j => j.Name) ?? []));

var capacity = await alice.V1.Capacity.GetAsync();
Print("capacity.pools", string.Join(",", capacity?.Pools?.Select(p => $"{p.InstanceType}:{p.Capacity}") ?? []));

await Problem("missing", () => alice.V1.Jobs["no-such-job"].GetAsync());
await Problem("forbidden", () => bob.V1.Jobs[name].PatchAsync(new JobPatch { Priority = 1 }));
await Problem("unauthenticated", () => stranger.V1.Jobs.GetAsync());
await Problem("invalid", () => alice.V1.Jobs.PostAsync(new CreateTrainingJobRequest { TrainingJobName = name + "-bad" }));
return 0;

QueueApiClient Connect(IAuthenticationProvider credentials) =>
    new(new HttpClientRequestAdapter(credentials) { BaseUrl = baseUrl.TrimEnd('/') });

// A problem the service answers must surface as the generated QueueProblem exception, with its stable code.
static async Task Problem(string step, Func<Task> call)
{
    try
    {
        await call();
        Print(step + ".problem", "none");
    }
    catch (QueueProblem problem)
    {
        Print(step + ".status", problem.ResponseStatusCode);
        Print(step + ".code", problem.Code);
        Print(step + ".errorFields", string.Join(",", problem.Errors?.Select(e => e.Field) ?? []));
    }
}

static void Print(string key, object? value) =>
    Console.WriteLine($"{key}={Convert.ToString(value, CultureInfo.InvariantCulture)}");

/// <summary>
/// Sends an API key in a header, as the document's security schemes say. Kiota's own key providers send keys over
/// https only, and the service under test listens on plain loopback http.
/// </summary>
internal sealed class HeaderKey(string header, string value) : IAuthenticationProvider
{
    public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        request.Headers.Add(header, value);
        return Task.CompletedTask;
    }
}
