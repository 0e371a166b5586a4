using System.Diagnostics;
using System.Text.Json.Nodes;
using TableDescription = Amazon.DynamoDBv2.Model.TableDescription;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Replicas.Tests;
using QueuedTraining.Stores.DynamoDB;
using QueuedTraining.Stores.DynamoDB.Tests;
using QueuedTraining.Testing;
using Xunit.Abstractions;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>
/// The synthesized stack's table and roles deployed through moto_server's CloudFormation, then used: the table is the
/// one the store's initializer would create, and two queue replicas run the seed scenario on it.
/// </summary>
[Collection(MotoServerTests.Name)]
public sealed class MotoDeploymentTests(MotoServerFixture moto, ITestOutputHelper output)
{
    private const string Pool = TestJobs.P5;

    [Fact]
    public async Task Deploy_TableAndRoles_CreateTheTableTheStoreInitializerCreates()
    {
        var (table, resources, subset) = await DeployAsync();
        var kept = subset["Resources"]!.AsObject();
        Assert.Contains(kept, r => (string?)r.Value!["Type"] == "AWS::DynamoDB::Table");
        Assert.Equal(3, kept.Count(r => (string?)r.Value!["Type"] == "AWS::IAM::Role"));
        Assert.Contains(resources.Keys, id => id.StartsWith("ServiceTaskRoleDefaultPolicy", StringComparison.Ordinal));

        var reference = await moto.CreateTableAsync();
        using var client = moto.CreateClient();
        var deployed = (await client.DescribeTableAsync(table)).Table;
        var initialized = (await client.DescribeTableAsync(reference)).Table;
        output.WriteLine($"stack table {table}: {Shape(deployed)}");

        Assert.Equal(Shape(initialized), Shape(deployed));
        Assert.Equal("PAY_PER_REQUEST", deployed.BillingModeSummary?.BillingMode?.Value);
        // Point-in-time recovery and deletion protection: moto's CloudFormation does not apply them, so the template
        // tests check them (StackTemplateTests.Table_AsTheStoreDocumentsIt_KeysIndexesRecoveryAndProtection).
    }

    [Fact]
    public async Task Deploy_ServiceRolePolicy_ResolvesToThisTableAndItsIndexes()
    {
        var (table, resources, subset) = await DeployAsync();
        var role = resources.Single(r => r.Key.StartsWith("ServiceTaskRole", StringComparison.Ordinal) && !r.Key.Contains("Policy", StringComparison.Ordinal)).Value;
        var policy = (string)subset["Resources"]!.AsObject().Single(r => r.Key.StartsWith("ServiceTaskRoleDefaultPolicy", StringComparison.Ordinal)).Value!["Properties"]!["PolicyName"]!;

        var names = await AwsCli.RunAsync(moto.ServiceUrl, "iam", "list-role-policies", "--role-name", role);
        Assert.Contains(policy, Synthesized.Strings(names!["PolicyNames"]));
        var document = (await AwsCli.RunAsync(moto.ServiceUrl, "iam", "get-role-policy", "--role-name", role, "--policy-name", policy))!["PolicyDocument"]!;
        var resourcesNamed = ((JsonArray)document["Statement"]!).SelectMany(s => Synthesized.Strings(s!["Resource"])).ToList();

        Assert.Contains($"arn:aws:dynamodb:us-east-1:123456789012:table/{table}", resourcesNamed);
        Assert.Contains($"arn:aws:dynamodb:us-east-1:123456789012:table/{table}/index/waiting-by-pool", resourcesNamed);
        Assert.Contains("arn:aws:sagemaker:us-east-1:123456789012:training-job/*", resourcesNamed);
    }

    internal static async Task<(string Table, IReadOnlyDictionary<string, string> Resources, JsonObject Subset)> DeployAsync(MotoServerFixture moto) =>
        await new MotoDeploymentTests(moto, NullOutput.Instance).DeployAsync();

    /// <summary>The seed design's example (samples/QuickStart): two p5 instances, four jobs; job4 preempts job1, job1 resumes.</summary>
    [Fact]
    public async Task TwoReplicas_SeedScenarioOnTheStacksTable_EveryJobCompletesAndJob4PreemptsJob1()
    {
        var (table, _, _) = await DeployAsync();
        var capacity = new Dictionary<string, int>(StringComparer.Ordinal) { [Pool] = 2 };
        var recorder = new SageMakerRecorder();
        using var sageMaker = new SimulatedSageMaker(
            Microsoft.Extensions.Options.Options.Create(new SimulatedSageMakerOptions { StopGracePeriod = TimeSpan.FromMilliseconds(200) }),
            TimeProvider.System);
        var stores = Enumerable.Range(0, 3).Select(_ => new DynamoDBJobStore(moto.Options(table))).ToList();
        var replicas = Enumerable.Range(0, 2).Select(i => new Replica($"replica-{i}", stores[i], recorder.ClientFor($"replica-{i}", sageMaker), new QueueOptions
        {
            Capacity = new Dictionary<string, int>(capacity, StringComparer.Ordinal),
            LeaseDuration = TimeSpan.FromSeconds(3),
            ReconcileInterval = TimeSpan.FromSeconds(1),
        }, TimeProvider.System)).ToList();
        using var stop = new CancellationTokenSource();
        try
        {
            foreach (var replica in replicas)
            {
                await replica.Process.StartAsync(stop.Token);
            }

            var pump = DeliverEventsAsync(sageMaker, recorder, replicas, stop.Token);
            // job1 runs long enough that job4 finds it running even when submissions are slow on a loaded machine.
            (string Name, int Priority, double Seconds)[] jobs = [("job1", 1, 10), ("job2", 2, 2), ("job3", 1, 2), ("job4", 3, 2)];
            for (var i = 0; i < jobs.Length; i++)
            {
                var (name, priority, seconds) = jobs[i];
                var request = TestJobs.Request(name, priority, Pool, 1, seconds);
                request.HyperParameters![SageMakerRecorder.QueuedJobHyperParameter] = name;
                // Alternate replicas: either one takes submissions; only the lease holder starts jobs.
                await replicas[i % 2].Commands.SubmitAsync("team", request);
                await Task.Delay(500);
            }

            var finals = await WaitUntilEndedAsync(stores[2], jobs.Select(j => j.Name));
            await stop.CancelAsync();
            foreach (var replica in replicas)
            {
                await replica.Process.StopAsync(CancellationToken.None);
            }

            await pump;
            var check = HistoryCheck.Run(recorder.Transitions, recorder.Calls, capacity);
            Assert.All(finals.Values, job => Assert.Equal(JobState.Completed, job.State));
            Assert.Empty(check.CapacityViolations);
            Assert.Empty(check.OverlappingAttempts);
            Assert.Equal(2, check.PeakUse[Pool]);
            Assert.True(finals["job1"].Attempts.Count >= 2, $"job1 ran {finals["job1"].Attempts.Count} attempt(s); job4 should have preempted it");
            Assert.True(finals["job4"].Attempts[0].StartedAt < finals["job3"].Attempts[0].StartedAt, "job4 (priority 3) should start before job3 (priority 1)");
            Assert.Empty(replicas.SelectMany(r => r.ProcessLog.Errors));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    internal async Task<(string Table, IReadOnlyDictionary<string, string> Resources, JsonObject Subset)> DeployAsync()
    {
        var subset = MotoStackDeployment.Subset(SynthesizedStacks.Default.Json);
        var table = "qt-stack-" + Guid.NewGuid().ToString("N")[..12];
        subset["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::DynamoDB::Table").Value!["Properties"]!["TableName"] = table;
        var resources = await MotoStackDeployment.DeployAsync(moto.ServiceUrl, "qt-" + Guid.NewGuid().ToString("N")[..12], subset);
        Assert.Equal(table, resources.Single(r => r.Key.StartsWith("JobTable", StringComparison.Ordinal)).Value);
        return (table, resources, subset);
    }

    private static string Shape(TableDescription table) => string.Join(" | ",
        "key " + string.Join(',', table.KeySchema.Select(k => $"{k.AttributeName} {k.KeyType}")),
        "attributes " + string.Join(',', table.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType}").Order(StringComparer.Ordinal)),
        "indexes " + string.Join(',', (table.GlobalSecondaryIndexes ?? []).OrderBy(i => i.IndexName, StringComparer.Ordinal)
            .Select(i => $"{i.IndexName}({string.Join(' ', i.KeySchema.Select(k => $"{k.AttributeName} {k.KeyType}"))}; {i.Projection.ProjectionType})")),
        "local indexes " + (table.LocalSecondaryIndexes?.Count ?? 0));

    // As EventBridge does: each SageMaker state change goes to one replica, here in turn.
    private static async Task DeliverEventsAsync(SimulatedSageMaker sageMaker, SageMakerRecorder recorder, List<Replica> replicas, CancellationToken cancellationToken)
    {
        var next = 0;
        try
        {
            await foreach (var change in sageMaker.StateChanges.ReadAllAsync(cancellationToken))
            {
                recorder.Record(change);
                await replicas[next++ % replicas.Count].Processor.HandleAsync(change, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task<Dictionary<string, QueuedTraining.Core.Jobs.QueuedJob>> WaitUntilEndedAsync(DynamoDBJobStore store, IEnumerable<string> names)
    {
        // A deadline against hanging forever, not a performance assertion.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var jobs = new Dictionary<string, QueuedTraining.Core.Jobs.QueuedJob>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                jobs[name] = (await store.GetAsync(name))!;
            }

            if (jobs.Values.All(j => j.State.IsTerminal()) || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                return jobs;
            }

            await Task.Delay(250);
        }
    }

    private sealed class NullOutput : ITestOutputHelper
    {
        public static readonly NullOutput Instance = new();

        public void WriteLine(string message)
        {
        }

        public void WriteLine(string format, params object[] args)
        {
        }
    }
}
