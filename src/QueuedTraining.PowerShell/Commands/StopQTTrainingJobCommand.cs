using System.Management.Automation;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Cancels a waiting training job, or stops a running one.</para>
/// <para type="description">A waiting job leaves the queue as Cancelled; a running job is stopped in SageMaker and ends as Stopped. Asks for confirmation unless -Force; -WhatIf shows what would be stopped.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "QTTrainingJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("QueuedTraining.Contracts.Queue.TrainingJobResource")]
public sealed class StopQTTrainingJobCommand : QueueCmdlet
{
    /// <summary>The job's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrainingJobName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>Stops without asking for confirmation (-WhatIf still only shows).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the job as it is after the request.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // -Force skips the confirmation, never -WhatIf.
        if ((!Force || IsWhatIf) && !ShouldProcess($"training job {Name}", $"Cancel or stop in the queue at {Session.BaseAddress}"))
        {
            return;
        }

        if (TryRun(ct => Session.Client.CancelJobAsync(Name, ct), Name, out var job) && PassThru)
        {
            WriteObject(job);
        }
    }
}
