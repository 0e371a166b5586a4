using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker.Verification;

namespace QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

/// <summary>
/// A stand-in for SageMaker (which cannot run here) on a loopback Kestrel port, speaking its wire format:
/// SigV4-verified <c>POST /</c> with <c>X-Amz-Target</c>, JSON 1.1 bodies, AWS-shaped errors, and
/// ValidationException "Requested resource not found." for unknown jobs as SageMaker answers. It keeps job state,
/// injects faults into CreateTrainingJob, lets the test end jobs, and records what happened for assertions.
/// </summary>
public sealed class FakeSageMaker : IAsyncDisposable
{
    public const string AccessKey = "AKIAFAKESAGEMAKER01";
    public const string SecretKey = "fake/sagemaker/secret/key/for/tests/only";

    private readonly object _gate = new();
    private readonly Dictionary<string, FakeTrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<CreateFault> _faults = new();
    private readonly Dictionary<string, CreateFault> _poolFaults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _createCalls = new(StringComparer.Ordinal);
    private readonly SigV4RequestVerifier _verifier = new(key => key == AccessKey ? SecretKey : null);
    private WebApplication? _app;

    /// <summary>Where it listens.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>The message a <see cref="CreateFault.Validation"/> answer carries.</summary>
    public string ValidationMessage { get; set; } = "Training image 123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1 not found.";

    /// <summary>Extra members every description carries, to tell SageMaker's description from the queue's own view.</summary>
    public const int BillableTimeInSeconds = 4242;

    /// <summary>Requests whose signature did not verify.</summary>
    public int SignatureFailures { get; private set; }

    /// <summary>The most attempts of one queued job that were InProgress at the same time.</summary>
    public int MaxConcurrentAttemptsPerQueuedJob { get; private set; }

    /// <summary>The most instances of each pool InProgress at the same time.</summary>
    public Dictionary<string, int> MaxInstancesInUse { get; } = new(StringComparer.Ordinal);

    public static async Task<FakeSageMaker> StartAsync()
    {
        var fake = new FakeSageMaker();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/", fake.HandleAsync);
        await app.StartAsync();
        fake._app = app;
        fake.ServiceUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>The next CreateTrainingJob calls (of any pool) answer these faults, in order.</summary>
    public void EnqueueCreateFaults(params CreateFault[] faults)
    {
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Every CreateTrainingJob of <paramref name="instanceType"/> answers <paramref name="fault"/> until cleared with null.</summary>
    public void SetPoolFault(string instanceType, CreateFault? fault)
    {
        lock (_gate)
        {
            if (fault is { } f)
            {
                _poolFaults[instanceType] = f;
            }
            else
            {
                _poolFaults.Remove(instanceType);
            }
        }
    }

    public int PendingFaults
    {
        get
        {
            lock (_gate)
            {
                return _faults.Count;
            }
        }
    }

    /// <summary>A snapshot of the jobs created, in creation order.</summary>
    public IReadOnlyList<FakeTrainingJob> Jobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Values.OrderBy(j => j.CreatedAt)];
            }
        }
    }

    /// <summary>How many CreateTrainingJob calls named <paramref name="name"/>, whatever they answered.</summary>
    public int CreateCalls(string name)
    {
        lock (_gate)
        {
            return _createCalls.GetValueOrDefault(name);
        }
    }

    /// <summary>Ends a running job, as SageMaker does when training finishes or fails.</summary>
    public void Finish(string name, string status, string? failureReason = null)
    {
        lock (_gate)
        {
            var job = _jobs[name];
            job.Status = status;
            job.SecondaryStatus = status;
            job.FailureReason = failureReason;
            job.EndedAt = DateTimeOffset.UtcNow;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var verification = _verifier.Verify(new SigV4IncomingRequest(context.Request.Method, context.Request.Path.ToUriComponent(), null, headers, body));
        if (!verification.IsValid)
        {
            lock (_gate)
            {
                SignatureFailures++;
            }

            await WriteErrorAsync(context, (int)verification.StatusCode, verification.ErrorCode, verification.ErrorMessage);
            return;
        }

        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var (status, answer) = target switch
        {
            "SageMaker.CreateTrainingJob" => Create(JsonSerializer.Deserialize(body, SageMakerJsonContext.Default.CreateTrainingJobRequest)!),
            "SageMaker.DescribeTrainingJob" => Describe(JsonSerializer.Deserialize(body, SageMakerJsonContext.Default.DescribeTrainingJobRequest)!.TrainingJobName!),
            "SageMaker.StopTrainingJob" => Stop(JsonSerializer.Deserialize(body, SageMakerJsonContext.Default.StopTrainingJobRequest)!.TrainingJobName!),
            _ => (400, Error("UnknownOperationException", $"Unknown operation {target}")),
        };

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(answer);
    }

    private (int, string) Create(CreateTrainingJobRequest request)
    {
        var name = request.TrainingJobName!;
        var instanceType = request.ResourceConfig!.InstanceType!;
        lock (_gate)
        {
            _createCalls[name] = _createCalls.GetValueOrDefault(name) + 1;
            CreateFault? fault = _poolFaults.TryGetValue(instanceType, out var poolFault) ? poolFault : _faults.TryDequeue(out var next) ? next : null;
            switch (fault)
            {
                case CreateFault.Throttling:
                    return (400, Error("com.amazon.coral.availability#ThrottlingException", "Rate exceeded"));
                case CreateFault.ServerError:
                    return (500, Error("InternalFailure", "We encountered an internal error. Please try again."));
                case CreateFault.ResourceLimitExceeded:
                    return (400, Error("ResourceLimitExceeded", $"The account-level service limit '{instanceType} for training job usage' is 0 Instances, with current utilization of 0 Instances and a request delta of 1 Instances."));
                case CreateFault.Validation:
                    return (400, Error("ValidationException", ValidationMessage));
            }

            if (_jobs.ContainsKey(name))
            {
                return (400, Error("ResourceInUse", $"Training job names must be unique within an AWS account and region, and a training job with this name already exists ({Arn(name)})"));
            }

            _jobs[name] = new FakeTrainingJob { Name = name, InstanceType = instanceType, InstanceCount = request.ResourceConfig.InstanceCount ?? 1, CreatedAt = DateTimeOffset.UtcNow };
            RecordConcurrency();
            return fault == CreateFault.CreatedButAnswerLost
                ? (500, Error("InternalFailure", "We encountered an internal error. Please try again."))
                : (200, JsonSerializer.Serialize(new CreateTrainingJobResponse { TrainingJobArn = Arn(name) }, SageMakerJsonContext.Default.CreateTrainingJobResponse));
        }
    }

    private (int, string) Describe(string name)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(name, out var job))
            {
                // What SageMaker itself answers for an unknown job (not the modelled ResourceNotFound).
                return (400, Error("ValidationException", "Requested resource not found."));
            }

            var response = new DescribeTrainingJobResponse
            {
                TrainingJobName = job.Name,
                TrainingJobArn = Arn(job.Name),
                TrainingJobStatus = job.Status,
                SecondaryStatus = job.SecondaryStatus,
                FailureReason = job.FailureReason,
                ResourceConfig = new ResourceConfig { InstanceType = job.InstanceType, InstanceCount = job.InstanceCount, VolumeSizeInGB = 10 },
                CreationTime = job.CreatedAt,
                TrainingStartTime = job.CreatedAt,
                TrainingEndTime = job.EndedAt,
                LastModifiedTime = job.EndedAt ?? job.CreatedAt,
                AdditionalMembers = new() { ["BillableTimeInSeconds"] = JsonSerializer.SerializeToElement(BillableTimeInSeconds) },
            };
            return (200, JsonSerializer.Serialize(response, SageMakerJsonContext.Default.DescribeTrainingJobResponse));
        }
    }

    private (int, string) Stop(string name)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(name, out var job))
            {
                return (400, Error("ValidationException", "Requested resource not found."));
            }

            if (job.Status == "InProgress")
            {
                job.Status = "Stopped";
                job.SecondaryStatus = "Stopped";
                job.EndedAt = DateTimeOffset.UtcNow;
            }

            return (200, "{}");
        }
    }

    private void RecordConcurrency()
    {
        var running = _jobs.Values.Where(j => j.Status == "InProgress").ToList();
        var perQueuedJob = running.GroupBy(j => j.QueuedJobName).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        MaxConcurrentAttemptsPerQueuedJob = Math.Max(MaxConcurrentAttemptsPerQueuedJob, perQueuedJob);
        foreach (var pool in running.GroupBy(j => j.InstanceType))
        {
            MaxInstancesInUse[pool.Key] = Math.Max(MaxInstancesInUse.GetValueOrDefault(pool.Key), pool.Sum(j => j.InstanceCount));
        }
    }

    private static string Arn(string name) => $"arn:aws:sagemaker:us-east-1:123456789012:training-job/{name.ToLowerInvariant()}";

    private static string Error(string type, string message) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message });

    private static Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        return context.Response.WriteAsync(Error(type, message));
    }
}
