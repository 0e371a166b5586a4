using System.Globalization;
using System.Management.Automation;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Changes a training job's priority.</para>
/// <para type="description">A waiting job moves in the queue at once; a running job's new priority counts the next time preemption is considered.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "QTTrainingJobPriority", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("QueuedTraining.Contracts.Queue.TrainingJobResource")]
public sealed class SetQTTrainingJobPriorityCommand : QueueCmdlet
{
    /// <summary>The job's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrainingJobName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>The new priority; higher runs first.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public int Priority { get; set; }

    /// <summary>Writes the job as it is after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"training job {Name}", $"Set priority to {Priority.ToString(CultureInfo.InvariantCulture)}"))
        {
            return;
        }

        if (TryRun(ct => Session.Client.ChangePriorityAsync(Name, Priority, ct), Name, out var job) && PassThru)
        {
            WriteObject(job);
        }
    }
}
