using System.Management.Automation;
using System.Net;
using System.Text;
using QueuedTraining.Client;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.PowerShell;

/// <summary>
/// The module's error ids. They are stable: scripts match on them through <c>FullyQualifiedErrorId</c>
/// (<c>"{id},{cmdlet class}"</c>), so an id is never renamed once shipped.
/// </summary>
public static class QueueErrorIds
{
    /// <summary>No <c>Connect-QTQueue</c> in this session.</summary>
    public const string NotConnected = "QueuedTraining.NotConnected";

    /// <summary>The queue has no job of that name.</summary>
    public const string JobNotFound = "QueuedTraining.JobNotFound";

    /// <summary>The name or idempotency key is taken by a different request.</summary>
    public const string JobConflict = "QueuedTraining.JobConflict";

    /// <summary>The service refused the request as invalid; the error names the fields.</summary>
    public const string JobValidationFailed = "QueuedTraining.JobValidationFailed";

    /// <summary>The job has already ended.</summary>
    public const string JobFinished = "QueuedTraining.JobFinished";

    /// <summary>The request could not be read from the hashtable, JSON or file given.</summary>
    public const string InvalidRequest = "QueuedTraining.InvalidRequest";

    /// <summary>The service could not be reached, or kept failing, after retries.</summary>
    public const string QueueUnavailable = "QueuedTraining.QueueUnavailable";

    /// <summary>The service wants an API key, or refused the one given.</summary>
    public const string Unauthenticated = "QueuedTraining.Unauthenticated";

    /// <summary>The API key's principal may not do this.</summary>
    public const string Forbidden = "QueuedTraining.Forbidden";

    /// <summary>The address given to <c>Connect-QTQueue</c> is not an absolute http or https URL.</summary>
    public const string InvalidAddress = "QueuedTraining.InvalidAddress";

    /// <summary>The queue has no instance pool of that type.</summary>
    public const string PoolNotFound = "QueuedTraining.PoolNotFound";

    /// <summary>The job <c>Wait-QTTrainingJob</c> waited for ended Failed.</summary>
    public const string JobFailed = "QueuedTraining.JobFailed";

    /// <summary>The wait ran out of time before the job ended.</summary>
    public const string WaitTimedOut = "QueuedTraining.WaitTimedOut";

    /// <summary>Any other refusal of the queue service.</summary>
    public const string QueueError = "QueuedTraining.QueueError";
}

/// <summary>Turns the client's exceptions into error records.</summary>
internal static class QueueErrors
{
    public static ErrorRecord From(Exception exception, object? target)
    {
        var (id, category) = exception switch
        {
            QueuedJobNotFoundException => (QueueErrorIds.JobNotFound, ErrorCategory.ObjectNotFound),
            QueuedJobConflictException => (QueueErrorIds.JobConflict, ErrorCategory.ResourceExists),
            QueuedJobValidationException => (QueueErrorIds.JobValidationFailed, ErrorCategory.InvalidData),
            QueuedJobFinishedException => (QueueErrorIds.JobFinished, ErrorCategory.InvalidOperation),
            QueuedJobWaitTimeoutException => (QueueErrorIds.WaitTimedOut, ErrorCategory.OperationTimeout),
            TrainingQueueUnavailableException => (QueueErrorIds.QueueUnavailable, ErrorCategory.ConnectionError),
            TrainingQueueException { StatusCode: HttpStatusCode.Unauthorized } or TrainingQueueException { ProblemCode: ProblemCodes.Unauthenticated } =>
                (QueueErrorIds.Unauthenticated, ErrorCategory.AuthenticationError),
            TrainingQueueException { StatusCode: HttpStatusCode.Forbidden } => (QueueErrorIds.Forbidden, ErrorCategory.PermissionDenied),
            TrainingQueueException => (QueueErrorIds.QueueError, ErrorCategory.NotSpecified),
            FormatException or IOException or UnauthorizedAccessException or ArgumentException => (QueueErrorIds.InvalidRequest, ErrorCategory.InvalidArgument),
            _ => (QueueErrorIds.QueueError, ErrorCategory.NotSpecified),
        };
        var record = new ErrorRecord(exception, id, category, target);
        if (exception is QueuedJobValidationException { Errors.Count: > 0 } validation)
        {
            // The record's message lists each problem once, so an operator sees what to fix without digging into
            // Exception. The exception's own message is the first problem, so it is not repeated above the list; and a
            // problem whose text already names its field is not prefixed with it again.
            var details = new StringBuilder(validation.Errors.Count == 1
                ? "The queue refused the request:"
                : $"The queue refused the request ({validation.Errors.Count} problems):");
            foreach (var error in validation.Errors)
            {
                var line = error.Field is null || error.Message.Contains(error.Field, StringComparison.Ordinal)
                    ? error.Message
                    : $"{error.Field}: {error.Message}";
                details.Append(Environment.NewLine).Append("  ").Append(line);
            }

            record.ErrorDetails = new ErrorDetails(details.ToString())
            {
                RecommendedAction = "Correct the fields named above and submit again; nothing was queued.",
            };
        }

        return record;
    }

    public static ErrorRecord InvalidAddress(Uri address)
    {
        var typed = address.OriginalString;
        var hint = typed.Contains("://", StringComparison.Ordinal) ? "http://host:port" : "http://" + typed;
        return new ErrorRecord(
            new ArgumentException($"'{typed}' is not an http or https address of a queue service. Give its scheme, for example {hint}."),
            QueueErrorIds.InvalidAddress,
            ErrorCategory.InvalidArgument,
            address)
        {
            ErrorDetails = new ErrorDetails($"'{typed}' is not an http or https address of a queue service.")
            {
                RecommendedAction = $"Run Connect-QTQueue {hint}.",
            },
        };
    }

    public static ErrorRecord PoolNotFound(string instanceType, IEnumerable<string> pools) => new(
        new ItemNotFoundException($"The queue has no pool of instance type '{instanceType}'. Its pools: {string.Join(", ", pools)}."),
        QueueErrorIds.PoolNotFound,
        ErrorCategory.ObjectNotFound,
        instanceType);

    public static ErrorRecord JobFailed(string name, string? reason) => new(
        new InvalidOperationException($"Training job '{name}' failed: {reason ?? "no reason given"}."),
        QueueErrorIds.JobFailed,
        ErrorCategory.InvalidResult,
        name);

    public static ErrorRecord NotConnected() => new(
        new InvalidOperationException("This session is not connected to a training queue. Run Connect-QTQueue -BaseAddress <url> first."),
        QueueErrorIds.NotConnected,
        ErrorCategory.ConnectionError,
        null)
    {
        ErrorDetails = new ErrorDetails("This session is not connected to a training queue.")
        {
            RecommendedAction = "Run Connect-QTQueue -BaseAddress <url> first.",
        },
    };
}
