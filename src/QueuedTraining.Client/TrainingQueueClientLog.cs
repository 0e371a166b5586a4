using Microsoft.Extensions.Logging;

namespace QueuedTraining.Client;

/// <summary>The client's log messages, with fixed event ids.</summary>
internal static partial class TrainingQueueClientLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Queue call {Method} {Path} failed ({Reason}); retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, string path, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Queued training job {JobName} (created: {Created}, state {State}, position {Position})")]
    public static partial void Submitted(ILogger logger, string jobName, bool created, QueuedTraining.Contracts.Queue.JobState state, long? position);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "The inner SageMaker client does not know attempt {AttemptName} of {JobName}; describing it from the queue")]
    public static partial void AttemptUnknownToInner(ILogger logger, string attemptName, string jobName);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Training job {JobName} is not in the queue; passing {Operation} to the inner SageMaker client")]
    public static partial void PassingThrough(ILogger logger, string jobName, string operation);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "The queue runs the attempts of {JobName} on its {Backend} backend, which no SageMaker knows; describing it from the queue")]
    public static partial void DescribingFromQueue(ILogger logger, string jobName, string backend);
}
