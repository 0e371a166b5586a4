using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Core.Diagnostics;

/// <summary>
/// The engine's view of its SageMaker backend, counting each call by operation and outcome. Only the engine's own calls
/// go through it (the scheduler, the stopper, reconciliation); the service's pass-through SageMaker surface does not.
/// </summary>
internal sealed class MeteredSageMakerClient(ISageMakerTrainingClient inner, QueueMetrics metrics) : ISageMakerTrainingClient
{
    public Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("CreateTrainingJob", request.TrainingJobName, () => inner.CreateTrainingJobAsync(request, cancellationToken));

    public Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("DescribeTrainingJob", request.TrainingJobName, () => inner.DescribeTrainingJobAsync(request, cancellationToken));

    public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("ListTrainingJobs", null, () => inner.ListTrainingJobsAsync(request, cancellationToken));

    public Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("StopTrainingJob", request.TrainingJobName, () => inner.StopTrainingJobAsync(request, cancellationToken));

    public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("UpdateTrainingJob", request.TrainingJobName, () => inner.UpdateTrainingJobAsync(request, cancellationToken));

    private async Task<T> CallAsync<T>(string operation, string? trainingJobName, Func<Task<T>> call)
    {
        using var activity = QueueTracing.SageMakerCall(operation, trainingJobName);
        try
        {
            var response = await call().ConfigureAwait(false);
            metrics.SageMakerCalled(operation, null);
            return response;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            metrics.SageMakerCalled(operation, ex);
            throw;
        }
    }
}
