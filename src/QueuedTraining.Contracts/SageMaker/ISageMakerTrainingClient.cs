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
    /// <param name="request">The job to start.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>SageMaker's answer: the new job's ARN.</returns>
    /// <exception cref="SageMakerException">The call failed; the subclass and <see cref="SageMakerException.ErrorCode"/> say how.</exception>
    Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes a training job (<c>DescribeTrainingJob</c>).</summary>
    /// <param name="request">The job's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's status, configuration and timings.</returns>
    /// <exception cref="SageMakerException">The call failed; the subclass and <see cref="SageMakerException.ErrorCode"/> say how.</exception>
    Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists training jobs, one page at a time (<c>ListTrainingJobs</c>).</summary>
    /// <param name="request">Page size, token and filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of job summaries and the token of the next.</returns>
    /// <exception cref="SageMakerException">The call failed; the subclass and <see cref="SageMakerException.ErrorCode"/> say how.</exception>
    Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stops a training job (<c>StopTrainingJob</c>).</summary>
    /// <param name="request">The job's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>An empty response.</returns>
    /// <exception cref="SageMakerException">The call failed; the subclass and <see cref="SageMakerException.ErrorCode"/> say how.</exception>
    Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Updates a running training job (<c>UpdateTrainingJob</c>).</summary>
    /// <param name="request">The job's name and the settings to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's ARN.</returns>
    /// <exception cref="SageMakerException">The call failed; the subclass and <see cref="SageMakerException.ErrorCode"/> say how.</exception>
    Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default);
}
