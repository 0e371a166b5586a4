using System.Management.Automation;
using QueuedTraining.Contracts.Queue;
using JobState = QueuedTraining.Contracts.Queue.JobState;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets queued training jobs by name, or lists the queue in order.</para>
/// <para type="description">With names (from the command line or the pipeline, wildcards allowed) gets those jobs; without, lists every job in queue order, optionally only those in the given states.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "QTTrainingJob", DefaultParameterSetName = ListSet)]
[OutputType("QueuedTraining.Contracts.Queue.TrainingJobResource")]
public sealed class GetQTTrainingJobCommand : QueueCmdlet
{
    private const string ListSet = "List";
    private const string NameSet = "Name";

    /// <summary>The jobs' names; wildcards select from the whole queue.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [Alias("TrainingJobName")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Name { get; set; } = [];

    /// <summary>Only jobs in these states.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = NameSet)]
    [ValidateSet(typeof(JobStateNames), IgnoreCase = true)]
    public string[]? State { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ListSet)
        {
            WriteJobs(static _ => true);
            return;
        }

        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                WriteJobs(job => pattern.IsMatch(job.Name));
                continue;
            }

            if (TryRun(ct => Session.Client.GetJobAsync(name, ct), name, out var job) && job is not null && InStates(job))
            {
                WriteObject(job);
            }
        }
    }

    private bool InStates(TrainingJobResource job) =>
        State is null || State.Any(s => string.Equals(s, job.State.ToString(), StringComparison.OrdinalIgnoreCase));

    private void WriteJobs(Func<TrainingJobResource, bool> include)
    {
        // One state asks the service to filter; several are filtered here, keeping the queue's order.
        JobState? only = State is [var single] ? Enum.Parse<JobState>(single, ignoreCase: true) : null;
        var jobs = RunOrTerminate(async ct =>
        {
            var list = new List<TrainingJobResource>();
            await foreach (var job in Session.Client.ListAllJobsAsync(only, pageSize: 100, cancellationToken: ct).ConfigureAwait(false))
            {
                list.Add(job);
            }

            return list;
        }, null);
        foreach (var job in jobs)
        {
            if (include(job) && InStates(job))
            {
                WriteObject(job);
            }
        }
    }
}

/// <summary>The values <c>-State</c> accepts: every job state, read from the state type so the list cannot drift from it.</summary>
public sealed class JobStateNames : IValidateSetValuesGenerator
{
    /// <inheritdoc/>
    public string[] GetValidValues() => Enum.GetNames<JobState>();
}
