namespace QueuedTraining.Contracts.SageMaker;

/// <summary>
/// The training-job subset of SageMaker's API. The real client signs and sends it to SageMaker, the
/// simulated one runs jobs in process, and the queue client decorates any of them so that
/// <c>CreateTrainingJob</c> waits in the priority queue.
/// </summary>
/// <remarks>Failures surface as <see cref="SageMakerException"/> and its subclasses, named as SageMaker names its errors.</remarks>
public interface ISageMakerTrainingClient
{
    /// <summary>Starts a training job (<c>CreateTrainingJob</c>).</summary>
    Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes a training job (<c>DescribeTrainingJob</c>).</summary>
    Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists training jobs, one page at a time (<c>ListTrainingJobs</c>).</summary>
    Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stops a training job (<c>StopTrainingJob</c>).</summary>
    Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Updates a running training job (<c>UpdateTrainingJob</c>).</summary>
    Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default);
}
