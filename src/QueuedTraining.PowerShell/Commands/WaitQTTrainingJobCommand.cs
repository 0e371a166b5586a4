using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using QueuedTraining.Client;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Waits for a training job to end and writes the job as it ended.</para>
/// <para type="description">Follows the queue's event stream (GET /v1/events), or polls where the service has none, until the job is Completed, Failed, Stopped or Cancelled, showing its state and queue position with Write-Progress, then writes the job. A job that ended Failed also writes a non-terminating QueuedTraining.JobFailed error, so $? is false and -ErrorAction Stop stops a script. Ctrl+C ends the wait, not the job.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "QTTrainingJob")]
[OutputType("QueuedTraining.Contracts.Queue.TrainingJobResource")]
public sealed class WaitQTTrainingJobCommand : QueueCmdlet
{
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The job's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrainingJobName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>The longest to wait, in seconds; without it the wait has no limit.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? TimeoutSec { get; set; }

    /// <summary>The longest pause between two polls while nothing changes, in seconds; with the event stream, how often the job is read anyway.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int MaxPollIntervalSec { get; set; } = 30;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var options = new TrainingJobWaitOptions
        {
            MaxPollInterval = TimeSpan.FromSeconds(MaxPollIntervalSec),
            Timeout = TimeoutSec is { } seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan,
        };

        // The waiter reports on pool threads; Write-Progress may only be called from this one, so reports queue here.
        using var reports = new BlockingCollection<QueuedJobStatus>();
        var progress = new QueueingProgress(reports);
        var activityId = Math.Abs(Name.GetHashCode(StringComparison.Ordinal) % 10000) + 1;
        var activity = $"Waiting for training job {Name}";
        var wait = Session.Waiter.WaitUntilEndedAsync(Name, options, progress, StopToken);
        while (!wait.IsCompleted)
        {
            try
            {
                if (reports.TryTake(out var status, (int)PumpInterval.TotalMilliseconds, StopToken))
                {
                    WriteProgress(Progress(activityId, activity, status));
                }
            }
            catch (OperationCanceledException)
            {
                break; // Ctrl+C: the wait task sees the same token and ends.
            }
        }

        while (reports.TryTake(out var last))
        {
            WriteProgress(Progress(activityId, activity, last));
        }

        WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        if (TryRun(_ => wait, Name, out var outcome) && outcome is not null)
        {
            WriteVerbose($"Training job {Name} ended {outcome.Kind}{(outcome.Reason is null ? string.Empty : ": " + outcome.Reason)}.");

            // The job, not the outcome: every job cmdlet writes the same shape, so a script's output stays one table.
            WriteObject(outcome.Status.Job);

            // A non-terminating error rather than a -FailOnError switch: a failed job sets $? and honours
            // -ErrorAction without the caller having to ask, and the job is still written for whoever reads it.
            // Stopped and Cancelled are someone's decision, not a failure.
            if (outcome.Kind == QueuedJobOutcomeKind.Failed)
            {
                WriteError(QueueErrors.JobFailed(outcome.Status.Name, outcome.Reason));
            }
        }
    }

    private static ProgressRecord Progress(int activityId, string activity, QueuedJobStatus status)
    {
        var text = status.QueuePosition is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"{status.State}, position {position} in the queue")
            : status.State.ToString();
        if (!string.IsNullOrEmpty(status.Reason))
        {
            text += string.IsNullOrEmpty(status.ReasonCode) ? ": " + status.Reason : $": [{status.ReasonCode}] {status.Reason}";
        }

        return new ProgressRecord(activityId, activity, text);
    }

    private sealed class QueueingProgress(BlockingCollection<QueuedJobStatus> reports) : IProgress<QueuedJobStatus>
    {
        public void Report(QueuedJobStatus value) => reports.Add(value);
    }
}
