using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.SageMaker;

/// <summary>The answer to <c>CreateTrainingJob</c>.</summary>
public sealed class CreateTrainingJobResponse : SageMakerShape
{
    /// <summary>The ARN of the created job.</summary>
    public string? TrainingJobArn { get; set; }
}

/// <summary>The body of <c>DescribeTrainingJob</c>.</summary>
public sealed class DescribeTrainingJobRequest : SageMakerShape
{
    /// <summary>The job to describe.</summary>
    public string? TrainingJobName { get; set; }
}

/// <summary>The body of <c>StopTrainingJob</c>.</summary>
public sealed class StopTrainingJobRequest : SageMakerShape
{
    /// <summary>The job to stop.</summary>
    public string? TrainingJobName { get; set; }
}

/// <summary>The (empty) answer to <c>StopTrainingJob</c>.</summary>
public sealed class StopTrainingJobResponse : SageMakerShape
{
}

/// <summary>The body of <c>UpdateTrainingJob</c>; its members are passed through verbatim.</summary>
public sealed class UpdateTrainingJobRequest : SageMakerShape
{
    /// <summary>The job to update.</summary>
    public string? TrainingJobName { get; set; }
}

/// <summary>The answer to <c>UpdateTrainingJob</c>.</summary>
public sealed class UpdateTrainingJobResponse : SageMakerShape
{
    /// <summary>The ARN of the updated job.</summary>
    public string? TrainingJobArn { get; set; }
}

/// <summary>The body of <c>ListTrainingJobs</c>.</summary>
public sealed class ListTrainingJobsRequest : SageMakerShape
{
    /// <summary>The token of the page to read.</summary>
    public string? NextToken { get; set; }

    /// <summary>The largest page wanted (1–100).</summary>
    public int? MaxResults { get; set; }

    /// <summary>Only jobs whose name contains this text.</summary>
    public string? NameContains { get; set; }

    /// <summary>Only jobs in this status.</summary>
    public string? StatusEquals { get; set; }

    /// <summary>Only jobs created after this time.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreationTimeAfter { get; set; }

    /// <summary>Only jobs created before this time.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreationTimeBefore { get; set; }

    /// <summary><c>Name</c>, <c>CreationTime</c> or <c>Status</c>.</summary>
    public string? SortBy { get; set; }

    /// <summary><c>Ascending</c> or <c>Descending</c>.</summary>
    public string? SortOrder { get; set; }
}

/// <summary>One page of <c>ListTrainingJobs</c>.</summary>
public sealed class ListTrainingJobsResponse : SageMakerShape
{
    /// <summary>The jobs on this page.</summary>
    public List<TrainingJobSummary> TrainingJobSummaries { get; set; } = [];

    /// <summary>The token of the next page, or null on the last one.</summary>
    public string? NextToken { get; set; }
}

/// <summary>A training job as <c>ListTrainingJobs</c> shows it.</summary>
public sealed class TrainingJobSummary : SageMakerShape
{
    /// <summary>The job's name.</summary>
    public string? TrainingJobName { get; set; }

    /// <summary>The job's ARN.</summary>
    public string? TrainingJobArn { get; set; }

    /// <summary>When the job was created.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? CreationTime { get; set; }

    /// <summary>When the job ended.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? TrainingEndTime { get; set; }

    /// <summary>When the job last changed.</summary>
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset? LastModifiedTime { get; set; }

    /// <summary>See <see cref="TrainingJobStatus"/>.</summary>
    public string? TrainingJobStatus { get; set; }

    /// <summary>See <see cref="SecondaryStatus"/>.</summary>
    public string? SecondaryStatus { get; set; }
}
