using System.Globalization;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Backends.Simulated;

public sealed partial class SimulatedSageMaker
{
    /// <inheritdoc />
    public Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var job = Find(request.TrainingJobName);
            var r = job.Request;
            return Task.FromResult(new DescribeTrainingJobResponse
            {
                TrainingJobName = request.TrainingJobName,
                TrainingJobArn = job.Arn,
                TrainingJobStatus = job.Status,
                SecondaryStatus = job.SecondaryStatus,
                FailureReason = job.FailureReason,
                RoleArn = r.RoleArn,
                AlgorithmSpecification = r.AlgorithmSpecification,
                HyperParameters = r.HyperParameters,
                InputDataConfig = r.InputDataConfig,
                OutputDataConfig = r.OutputDataConfig,
                ResourceConfig = r.ResourceConfig,
                StoppingCondition = r.StoppingCondition,
                CheckpointConfig = r.CheckpointConfig,
                CreationTime = job.CreatedAt,
                TrainingStartTime = job.CreatedAt,
                TrainingEndTime = job.EndedAt,
                LastModifiedTime = job.LastModified,
                SecondaryStatusTransitions = [.. job.Transitions],

                // SageMaker echoes members this library does not model (RetryStrategy, …); so does the simulation.
                AdditionalMembers = r.AdditionalMembers,
            });
        }
    }

    /// <inheritdoc />
    public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pageSize = Math.Clamp(request.MaxResults ?? 10, 1, 100);
        var start = 0;
        if (!string.IsNullOrEmpty(request.NextToken) && !int.TryParse(request.NextToken, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw new SageMakerValidationException("Invalid pagination token.");
        }

        lock (_gate)
        {
            var matching = _order
                .Where(name => request.NameContains is null || name.Contains(request.NameContains, StringComparison.OrdinalIgnoreCase))
                .Where(name => request.StatusEquals is null || _jobs[name].Status == request.StatusEquals)
                .ToList();
            var page = matching.Skip(start).Take(pageSize).Select(name =>
            {
                var job = _jobs[name];
                return new TrainingJobSummary
                {
                    TrainingJobName = name,
                    TrainingJobArn = job.Arn,
                    CreationTime = job.CreatedAt,
                    TrainingEndTime = job.EndedAt,
                    LastModifiedTime = job.LastModified,
                    TrainingJobStatus = job.Status,
                    SecondaryStatus = job.SecondaryStatus,
                };
            }).ToList();
            var next = start + pageSize < matching.Count ? (start + pageSize).ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new ListTrainingJobsResponse { TrainingJobSummaries = page, NextToken = next });
        }
    }
}
