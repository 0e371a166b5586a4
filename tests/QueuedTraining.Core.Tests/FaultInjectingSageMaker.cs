using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Core.Tests;

/// <summary>Wraps the simulated SageMaker and throws queued errors from CreateTrainingJob, as real SageMaker would.</summary>
internal sealed class FaultInjectingSageMaker(ISageMakerTrainingClient inner) : ISageMakerTrainingClient
{
    public Queue<Func<CreateTrainingJobRequest, Exception?>> CreateFaults { get; } = new();

    public int CreateCalls { get; private set; }

    /// <summary>Awaited before each CreateTrainingJob reaches SageMaker: a call that hangs, or what happens meanwhile.</summary>
    public Func<CreateTrainingJobRequest, CancellationToken, Task>? BeforeCreate { get; set; }

    public async Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        CreateCalls++;
        if (CreateFaults.TryDequeue(out var fault) && fault(request) is { } error)
        {
            throw error;
        }

        if (BeforeCreate is { } before)
        {
            await before(request, cancellationToken);
        }

        return await inner.CreateTrainingJobAsync(request, cancellationToken);
    }

    /// <summary>Awaited before each DescribeTrainingJob reaches SageMaker: what happens meanwhile.</summary>
    public Func<Task>? DuringDescribe { get; set; }

    public async Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        if (DuringDescribe is { } meanwhile)
        {
            await meanwhile();
        }

        return await inner.DescribeTrainingJobAsync(request, cancellationToken);
    }

    public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default) =>
        inner.ListTrainingJobsAsync(request, cancellationToken);

    public Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        inner.StopTrainingJobAsync(request, cancellationToken);

    public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        inner.UpdateTrainingJobAsync(request, cancellationToken);
}
