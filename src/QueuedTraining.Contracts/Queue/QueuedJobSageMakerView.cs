using System.Globalization;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Contracts.Queue;

/// <summary>
/// Shows a queued job the way SageMaker's <c>DescribeTrainingJob</c> would, under the user's job name, so
/// that launchers that poll SageMaker keep working while the job waits. Used by the client decorator and
/// by the queue's SageMaker-compatible endpoint alike.
/// <list type="bullet">
/// <item>waiting (pending, preempted): <c>InProgress</c> / <c>Pending</c>, the status message giving the queue position and reason;</item>
/// <item>starting: <c>InProgress</c> / <c>Starting</c>; preempting: <c>InProgress</c> / <c>Pending</c> (it will resume);</item>
/// <item>running, stopping and ended jobs: the real description of the current attempt, renamed to the user's name;</item>
/// <item>cancelled while waiting: <c>Stopped</c>.</item>
/// </list>
/// </summary>
public static class QueuedJobSageMakerView
{
    /// <summary>
    /// The ARN reported for a queued job: SageMaker's ARN format with the user's job name (lowercased, as
    /// SageMaker writes it). Each attempt runs under its own SageMaker name and ARN, visible in <c>Attempts</c>.
    /// </summary>
    /// <param name="jobName">The user's job name.</param>
    /// <param name="region">The region written into the ARN.</param>
    /// <param name="accountId">The account id written into the ARN.</param>
    /// <returns><c>arn:aws:sagemaker:{region}:{accountId}:training-job/{job name lowercased}</c>.</returns>
    public static string Arn(string jobName, string region, string accountId)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        return $"arn:aws:sagemaker:{region}:{accountId}:training-job/{jobName.ToLowerInvariant()}";
    }

    /// <summary>The SageMaker status of a job in <paramref name="state"/>.</summary>
    /// <param name="state">The job's queue state.</param>
    /// <returns>One of <see cref="TrainingJobStatus"/>'s values; <c>InProgress</c> while the job waits or runs.</returns>
    public static string Status(JobState state) => state switch
    {
        JobState.Completed => TrainingJobStatus.Completed,
        JobState.Failed => TrainingJobStatus.Failed,
        JobState.Stopping => TrainingJobStatus.Stopping,
        JobState.Stopped or JobState.Cancelled => TrainingJobStatus.Stopped,
        _ => TrainingJobStatus.InProgress,
    };

    /// <summary>The SageMaker secondary status of a job in <paramref name="state"/>, when the queue decides it.</summary>
    /// <param name="state">The job's queue state.</param>
    /// <returns>One of <see cref="SecondaryStatus"/>'s values; <c>Pending</c> while the job waits.</returns>
    public static string SecondaryStatusOf(JobState state) => state switch
    {
        JobState.Starting => SecondaryStatus.Starting,
        JobState.Running => SecondaryStatus.Training,
        JobState.Stopping => SecondaryStatus.Stopping,
        JobState.Completed => SecondaryStatus.Completed,
        JobState.Failed => SecondaryStatus.Failed,
        JobState.Stopped or JobState.Cancelled => SecondaryStatus.Stopped,
        _ => SecondaryStatus.Pending,
    };

    /// <summary>
    /// The status message of a job: its queue position and the reason it waits or ended, led by the reason's catalog code
    /// in brackets (<c>[CapacityInUse] waiting for capacity: ...</c>) so that scripts reading SageMaker's field can match
    /// on it. A waiting job of a team other than <c>default</c> names its team, since SageMaker's Describe has no field
    /// for it. Every part of the message is composed here, once.
    /// </summary>
    /// <param name="job">The job as the queue shows it.</param>
    /// <returns>A sentence for <c>SecondaryStatusTransitions[].StatusMessage</c>.</returns>
    public static string StatusMessage(TrainingJobResource job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var reason = string.IsNullOrEmpty(job.Reason) ? null
            : string.IsNullOrEmpty(job.ReasonCode) ? job.Reason
            : $"[{job.ReasonCode}] {job.Reason}";
        return job.State switch
        {
            JobState.Pending or JobState.Preempted => string.Create(
                CultureInfo.InvariantCulture,
                $"Queued by QueuedTraining at position {job.QueuePosition ?? 0} for {job.InstanceCount} x {job.InstanceType} (priority {job.Priority}{TeamPart(job.Team)}){(reason is null ? string.Empty : ": " + reason)}"),
            JobState.Preempting => $"Preempted by QueuedTraining and will resume{(reason is null ? string.Empty : ": " + reason)}",
            _ => reason ?? job.State.ToString(),
        };
    }

    private static string TeamPart(string? team) =>
        team is null or "default" ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", team {team}");

    /// <summary>
    /// The status message of a job, and for a waiting job with a forecast its expected start counted from
    /// <paramref name="now"/>: "…; expected to start in 40 min – 2 h 10 min".
    /// </summary>
    /// <param name="job">The job as the queue shows it.</param>
    /// <param name="now">The time the expected start is counted from.</param>
    /// <returns>A sentence for <c>SecondaryStatusTransitions[].StatusMessage</c>.</returns>
    public static string StatusMessage(TrainingJobResource job, DateTimeOffset now) => WithExpectedStart(StatusMessage(job), job, now);

    /// <summary>
    /// <paramref name="message"/> followed by <paramref name="job"/>'s expected start when it waits and has one: kept apart
    /// from <see cref="StatusMessage(TrainingJobResource)"/> so that the wording of the reason and of the forecast change
    /// independently.
    /// </summary>
    private static string WithExpectedStart(string message, TrainingJobResource job, DateTimeOffset now) =>
        job.State is JobState.Pending or JobState.Preempted && job.ExpectedStart is { } expected
            ? message + "; " + ExpectedStartText.Range(expected, now)
            : message;

    /// <summary>
    /// Describes <paramref name="job"/> SageMaker-style, with a waiting job's expected start counted from
    /// <paramref name="now"/> in its status message (see <see cref="Describe(TrainingJobResource, DescribeTrainingJobResponse?, CreateTrainingJobRequest?, string)"/>).
    /// </summary>
    /// <param name="job">The job as the queue shows it.</param>
    /// <param name="currentAttempt">SageMaker's description of the current attempt; null when there is none to show.</param>
    /// <param name="request">The submitted request; null when unknown.</param>
    /// <param name="arn">The ARN to report under the user's name (see <see cref="Arn"/>).</param>
    /// <param name="now">The time the expected start is counted from.</param>
    /// <returns>The description, under the user's job name.</returns>
    public static DescribeTrainingJobResponse Describe(
        TrainingJobResource job,
        DescribeTrainingJobResponse? currentAttempt,
        CreateTrainingJobRequest? request,
        string arn,
        DateTimeOffset now)
    {
        var response = Describe(job, currentAttempt, request, arn);
        if (response.SecondaryStatusTransitions is [{ } transition] && transition.StatusMessage is { } message)
        {
            transition.StatusMessage = WithExpectedStart(message, job, now);
        }

        return response;
    }

    /// <summary>
    /// Describes <paramref name="job"/> SageMaker-style. <paramref name="currentAttempt"/> is SageMaker's own
    /// description of the job's current attempt when it has one that SageMaker knows; <paramref name="request"/>
    /// is the submitted request, to fill in the job's configuration while it waits.
    /// </summary>
    /// <param name="job">The job as the queue shows it.</param>
    /// <param name="currentAttempt">SageMaker's description of the current attempt; null when there is none to show.</param>
    /// <param name="request">The submitted request; null when unknown.</param>
    /// <param name="arn">The ARN to report under the user's name (see <see cref="Arn"/>).</param>
    /// <returns>The description, under the user's job name; <paramref name="currentAttempt"/>, renamed, once the attempt decides.</returns>
    public static DescribeTrainingJobResponse Describe(
        TrainingJobResource job,
        DescribeTrainingJobResponse? currentAttempt,
        CreateTrainingJobRequest? request,
        string arn)
    {
        ArgumentNullException.ThrowIfNull(job);
        var queueDecides = currentAttempt is null || job.State is JobState.Pending or JobState.Preempted or JobState.Starting or JobState.Preempting or JobState.Cancelled;
        var response = queueDecides ? FromRequest(request) : currentAttempt!;
        response.TrainingJobName = job.Name;
        response.TrainingJobArn = arn;
        response.CreationTime = job.EnqueuedAt;
        if (queueDecides)
        {
            response.TrainingJobStatus = Status(job.State);
            response.SecondaryStatus = SecondaryStatusOf(job.State);
            response.LastModifiedTime = job.UpdatedAt;
            response.FailureReason = job.State == JobState.Failed ? job.Reason : null;
            response.SecondaryStatusTransitions =
            [
                new SecondaryStatusTransition { Status = response.SecondaryStatus, StartTime = job.UpdatedAt, StatusMessage = StatusMessage(job) },
            ];
        }

        // SageMaker names the model after the attempt; say where it is even when the backend does not.
        if (job.State == JobState.Completed && response.ModelArtifacts is null && job.ModelArtifacts is { } model)
        {
            response.ModelArtifacts = new ModelArtifacts { S3ModelArtifacts = model };
        }

        return response;
    }

    private static DescribeTrainingJobResponse FromRequest(CreateTrainingJobRequest? request) => new()
    {
        RoleArn = request?.RoleArn,
        AlgorithmSpecification = request?.AlgorithmSpecification,
        HyperParameters = request?.HyperParameters,
        InputDataConfig = request?.InputDataConfig,
        OutputDataConfig = request?.OutputDataConfig,
        ResourceConfig = request?.ResourceConfig,
        StoppingCondition = request?.StoppingCondition,
        CheckpointConfig = request?.CheckpointConfig,
    };
}
