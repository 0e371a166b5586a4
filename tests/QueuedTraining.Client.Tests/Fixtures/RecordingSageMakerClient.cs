using System.Collections.Concurrent;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>
/// An inner SageMaker client that records each call with the very request object it got and answers with
/// responses the test can recognise by reference. (SageMaker itself cannot run here; only the decorator's
/// pass-through is under test, so no wire format is involved.)
/// </summary>
internal sealed class RecordingSageMakerClient : ISageMakerTrainingClient
{
    private readonly ConcurrentQueue<(string Operation, object Request)> _calls = new();

    public IReadOnlyList<(string Operation, object Request)> Calls => [.. _calls];

    public CreateTrainingJobResponse CreateResponse { get; } = new() { TrainingJobArn = "arn:aws:sagemaker:us-east-1:111111111111:training-job/inner" };

    public DescribeTrainingJobResponse DescribeResponse { get; } = new() { TrainingJobName = "inner-job", TrainingJobStatus = TrainingJobStatus.Completed };

    public ListTrainingJobsResponse ListResponse { get; } = new()
    {
        TrainingJobSummaries = [new TrainingJobSummary { TrainingJobName = "inner-job", TrainingJobStatus = TrainingJobStatus.Completed }],
    };

    public StopTrainingJobResponse StopResponse { get; } = new();

    public UpdateTrainingJobResponse UpdateResponse { get; } = new() { TrainingJobArn = "arn:aws:sagemaker:us-east-1:111111111111:training-job/inner-job" };

    public Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        Record("CreateTrainingJob", request, CreateResponse);

    public Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        Record("DescribeTrainingJob", request, DescribeResponse);

    public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default) =>
        Record("ListTrainingJobs", request, ListResponse);

    public Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        Record("StopTrainingJob", request, StopResponse);

    public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        Record("UpdateTrainingJob", request, UpdateResponse);

    private Task<T> Record<T>(string operation, object request, T response)
    {
        _calls.Enqueue((operation, request));
        return Task.FromResult(response);
    }
}
