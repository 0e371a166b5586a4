using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Benchmarks.Micro;

/// <summary>
/// The CPU pieces of POST /v1/jobs and of every scheduler read, each against parsing the request body
/// (the baseline: work the no-op endpoint would also have to do to look at the body at all).
/// </summary>
[MemoryDiagnoser]
public class SubmitPathBenchmarks
{
    private readonly QueueOptions _options = new() { Capacity = new Dictionary<string, int> { ["ml.p5.48xlarge"] = 8 } };
    private byte[] _body = [];
    private CreateTrainingJobRequest _request = null!;
    private QueuedJob _job = null!;
    private string _jobJson = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _request = BenchmarkJobs.Request("micro-job", 5, "ml.p5.48xlarge");
        _body = JsonSerializer.SerializeToUtf8Bytes(_request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        _job = BenchmarkJobs.PendingJob("micro-job", 5, "ml.p5.48xlarge", BenchmarkJobs.Epoch);
        _jobJson = JsonSerializer.Serialize(_job, QueuedJobJsonContext.Storage.QueuedJob);
    }

    [Benchmark(Baseline = true, Description = "parse the CreateTrainingJob body")]
    public CreateTrainingJobRequest? ParseRequest() => JsonSerializer.Deserialize(_body, SageMakerJsonContext.Default.CreateTrainingJobRequest);

    [Benchmark(Description = "validate the request")]
    public int Validate() => TrainingJobRequestValidator.Validate(_request, _options, out _).Count;

    [Benchmark(Description = "normalise and hash the request (SHA-256)")]
    public string SerializeAndHash()
    {
        var json = JsonSerializer.Serialize(_request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    [Benchmark(Description = "serialise the stored job (store write)")]
    public string SerializeStoredJob() => JsonSerializer.Serialize(_job, QueuedJobJsonContext.Storage.QueuedJob);

    [Benchmark(Description = "materialise a stored job (every store read)")]
    public QueuedJob? DeserializeStoredJob() => JsonSerializer.Deserialize(_jobJson, QueuedJobJsonContext.Storage.QueuedJob);

    [Benchmark(Description = "queue order key")]
    public string QueueKey() => _job.QueueKey;
}
