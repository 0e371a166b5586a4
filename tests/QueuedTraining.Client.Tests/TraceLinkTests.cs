using System.Collections.Concurrent;
using System.Diagnostics;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Client.Tests;

/// <summary>
/// One trace from the client SDK's HTTP call to the SageMaker call that starts the job: the client's request carries the
/// W3C trace context, the service's submit continues it, and the scheduling pass links the start to it.
/// </summary>
public sealed class TraceLinkTests
{
    [Fact]
    public async Task Submit_ThenScheduled_LinksClientCallSubmitStartAndCreateTrainingJob()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "QueuedTraining" or "System.Net.Http" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Traced"));
        var name = request.TrainingJobName!;

        await client.Queue.SubmitAsync(request);
        await JobPolling.UntilStateAsync(client.Queue, name, JobState.Running);
        await Polling.UntilAsync(() => Task.FromResult(stopped.Any(a => a.DisplayName == "SageMaker.CreateTrainingJob" && Equals(a.GetTagItem("aws.sagemaker.training_job.name"), name))), "the CreateTrainingJob activity");

        var activities = stopped.ToList();
        var submit = Assert.Single(activities, a => a.OperationName == "queuedtraining.submit" && Equals(a.GetTagItem("queuedtraining.job.name"), name));
        var clientCall = Assert.Single(activities, a => a.Source.Name == "System.Net.Http" && a.TraceId == submit.TraceId);
        var start = Assert.Single(activities, a => a.OperationName == "queuedtraining.start" && Equals(a.GetTagItem("queuedtraining.job.name"), name));
        var create = Assert.Single(activities, a => a.DisplayName == "SageMaker.CreateTrainingJob" && Equals(a.GetTagItem("aws.sagemaker.training_job.name"), name));
        var pass = Assert.Single(activities, a => a.SpanId == start.ParentSpanId);

        Assert.Equal("POST", clientCall.GetTagItem("http.request.method"));
        Assert.Contains(start.Links, link => link.Context.TraceId == submit.TraceId && link.Context.SpanId == submit.SpanId);
        Assert.Equal("queuedtraining.schedule", pass.OperationName);
        Assert.Equal(start.SpanId, create.ParentSpanId);
        Assert.Equal(ActivityKind.Client, create.Kind);
    }
}
