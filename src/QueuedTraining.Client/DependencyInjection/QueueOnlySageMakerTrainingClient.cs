using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.DependencyInjection;

/// <summary>
/// The inner client of a decorator registered without a SageMaker client: only queued jobs exist for it, so any
/// other job is not found, and there is nothing to list.
/// </summary>
internal sealed class QueueOnlySageMakerTrainingClient : ISageMakerTrainingClient
{
    public Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(
            "No SageMaker client is registered behind the queue decorator, so jobs can only be queued. " + WhatToDo);

    public Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        throw NotFound(request?.TrainingJobName);

    public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ListTrainingJobsResponse());

    public Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        throw NotFound(request?.TrainingJobName);

    public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        throw NotFound(request?.TrainingJobName);

    // Says how to register one, since the usual cause is an application's own client registered after the decorator.
    private const string WhatToDo =
        "Register it with services.AddSageMakerTrainingClient(...) (before or after AddQueuedSageMakerTraining), or register your own "
        + "ISageMakerTrainingClient before AddQueuedSageMakerTraining or under the key TrainingQueueServiceCollectionExtensions.InnerSageMakerClientKey.";

    private static SageMakerResourceNotFoundException NotFound(string? name) =>
        new($"Training job {name} is not queued, and no SageMaker client is registered behind the queue decorator. {WhatToDo}");
}
