using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueuedTraining.Contracts.Queue;

/// <summary>
/// Where a queued training job stands. See docs/job-states.md for the state machine.
/// Waiting states: <see cref="Pending"/>, <see cref="Preempted"/>. States that hold capacity:
/// <see cref="Starting"/>, <see cref="Running"/>, <see cref="Preempting"/>, <see cref="Stopping"/>.
/// </summary>
[JsonConverter(typeof(JobStateJsonConverter))]
public enum JobState
{
    /// <summary>Waiting in the queue for capacity.</summary>
    Pending,

    /// <summary>Chosen to start; the SageMaker job is being created.</summary>
    Starting,

    /// <summary>Its current attempt runs on SageMaker.</summary>
    Running,

    /// <summary>Being stopped to make room for a higher-priority job; it will wait again.</summary>
    Preempting,

    /// <summary>Stopped by preemption and waiting to resume, ahead of later jobs of its priority.</summary>
    Preempted,

    /// <summary>Finished successfully.</summary>
    Completed,

    /// <summary>Failed; the reason says why.</summary>
    Failed,

    /// <summary>Being stopped at a user's request.</summary>
    Stopping,

    /// <summary>Stopped at a user's request (or outside the queue) while it ran.</summary>
    Stopped,

    /// <summary>Cancelled while it waited; it never ran again.</summary>
    Cancelled,
}

/// <summary>Questions about a <see cref="JobState"/>.</summary>
public static class JobStates
{
    /// <summary>True while the job waits in the queue.</summary>
    /// <param name="state">The job's state.</param>
    /// <returns>True for <see cref="JobState.Pending"/> and <see cref="JobState.Preempted"/>.</returns>
    public static bool IsWaiting(this JobState state) => state is JobState.Pending or JobState.Preempted;

    /// <summary>True while the job holds instances of its pool.</summary>
    /// <param name="state">The job's state.</param>
    /// <returns>True while starting, running, preempting or stopping.</returns>
    public static bool HoldsCapacity(this JobState state) =>
        state is JobState.Starting or JobState.Running or JobState.Preempting or JobState.Stopping;

    /// <summary>True once the job can never change again.</summary>
    /// <param name="state">The job's state.</param>
    /// <returns>True when completed, failed, stopped or cancelled.</returns>
    public static bool IsTerminal(this JobState state) =>
        state is JobState.Completed or JobState.Failed or JobState.Stopped or JobState.Cancelled;
}

/// <summary>Writes <see cref="JobState"/> as lowercase words (<c>pending</c>, <c>running</c>, …).</summary>
public sealed class JobStateJsonConverter() : JsonStringEnumConverter<JobState>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);
