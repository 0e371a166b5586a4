using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Stores.DynamoDB.Tests;
using QueuedTraining.Testing;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>
/// The real queue service configured exactly as the stack's task definition configures each replica, on the table the
/// stack created in moto. Only what AWS itself supplies is stood in for: moto's endpoint and dummy keys instead of the
/// task role, the simulated SageMaker instead of SageMaker, the key digest instead of the Secrets Manager value.
/// </summary>
[Collection(MotoServerTests.Name)]
public sealed class StackServiceTests(MotoServerFixture moto)
{
    private const string EventsKey = "events-key-used-only-by-these-tests-0123456789";

    [Fact]
    public async Task TwoServiceReplicas_TaskDefinitionConfiguration_RunTheSeedScenarioOnTheStacksTable()
    {
        var (table, _, _) = await MotoDeploymentTests.DeployAsync(moto);
        var settings = TaskDefinitionSettings(table);
        await using var first = await QueueServiceHost.StartAsync(settings);
        await using var second = await QueueServiceHost.StartAsync(settings);
        QueueServiceHost[] replicas = [first, second];

        foreach (var replica in replicas)
        {
            using var health = await replica.Http.GetAsync("healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var anonymous = await replica.Http.GetAsync("v1/capacity");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // The capacity the task definition sets, pool names with dots and all.
        var capacity = await SendAsync(first, HttpMethod.Get, "v1/capacity");
        Assert.Contains("\"ml.p5.48xlarge\"", capacity.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("\"ml.g5.xlarge\"", capacity.ToJsonString(), StringComparison.Ordinal);

        // The events principal's key (its digest came from the secret) is an operator's: EventBridge can post.
        using (var unknown = await first.PostEventAsync("not-a-queued-job", TrainingJobStatus.Completed, adjust: r => r.Headers.Add("X-Api-Key", EventsKey)))
        {
            Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        }

        using (var keyless = await first.PostEventAsync("not-a-queued-job", TrainingJobStatus.Completed))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        }

        // The seed scenario through both replicas in turn: two p5 instances, four jobs, job4 preempts job1.
        // job1 runs long enough that job4 finds it running even when submissions are slow on a loaded machine.
        (string Name, int Priority, double Seconds)[] jobs = [("job1", 1, 10), ("job2", 2, 2), ("job3", 1, 2), ("job4", 3, 2)];
        for (var i = 0; i < jobs.Length; i++)
        {
            var request = TestJobs.Request(jobs[i].Name, jobs[i].Priority, TestJobs.P5, 1, jobs[i].Seconds);
            var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var message = new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = content };
            message.Headers.Add("X-Api-Key", EventsKey);
            using var response = await replicas[i % 2].Http.SendAsync(message);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(500);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Dictionary<string, JsonNode> finals;
        do
        {
            // A deadline against hanging forever, not a performance assertion.
            await Task.Delay(250);
            finals = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var (name, _, _) in jobs)
            {
                finals[name] = await SendAsync(replicas[finals.Count % 2], HttpMethod.Get, $"v1/jobs/{name}");
            }
        }
        while (finals.Values.Any(j => (string?)j["state"] != "completed") && clock.Elapsed < TimeSpan.FromSeconds(90));

        Assert.All(finals, j => Assert.Equal("completed", (string?)j.Value["state"]));
        Assert.True(((JsonArray)finals["job1"]["attempts"]!).Count >= 2, $"job1: {finals["job1"].ToJsonString()}");
    }

    /// <summary>The container's environment and secrets from the synthesized task definition, as configuration keys.</summary>
    private Dictionary<string, string?> TaskDefinitionSettings(string table)
    {
        var template = SynthesizedStacks.Default;
        var tableId = template.Single("AWS::DynamoDB::Table").LogicalId;
        var container = template.Single("AWS::ECS::TaskDefinition").Resource["Properties"]!["ContainerDefinitions"]![0]!;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in (JsonArray)container["Environment"]!)
        {
            var name = (string)variable!["Name"]!;
            var value = Synthesized.Text(variable["Value"]);
            if (name == "Urls")
            {
                continue; // The host listens on a free loopback port instead of the container's 8080.
            }

            settings[name.Replace("__", ":", StringComparison.Ordinal)] = value switch
            {
                """{"Ref":"AWS::Region"}""" => "us-east-1",
                _ when value == $$"""{"Ref":"{{tableId}}"}""" => table,
                _ when value.StartsWith('{') => throw new InvalidOperationException($"{name} = {value}: a value CloudFormation resolves that this test does not"),
                _ => value,
            };
        }

        foreach (var secret in (JsonArray)container["Secrets"]!)
        {
            Assert.EndsWith(":apiKeySha256::", (string?)secret!["ValueFrom"], StringComparison.Ordinal);
            settings[((string)secret["Name"]!).Replace("__", ":", StringComparison.Ordinal)] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EventsKey)));
        }

        Assert.Equal("SageMaker", settings["QueuedTraining:Backend"]);
        settings["QueuedTraining:Backend"] = "Simulated";
        settings["QueuedTraining:Simulated:StopGracePeriod"] = "00:00:00.200";
        var local = moto.Options(table);
        settings["QueuedTraining:DynamoDB:ServiceUrl"] = local.ServiceUrl!.ToString();
        settings["QueuedTraining:DynamoDB:AccessKeyId"] = local.AccessKeyId;
        settings["QueuedTraining:DynamoDB:SecretAccessKey"] = local.SecretAccessKey;
        return settings;
    }

    private static async Task<JsonNode> SendAsync(QueueServiceHost replica, HttpMethod method, string path)
    {
        using var message = new HttpRequestMessage(method, path);
        message.Headers.Add("X-Api-Key", EventsKey);
        using var response = await replica.Http.SendAsync(message);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }
}
