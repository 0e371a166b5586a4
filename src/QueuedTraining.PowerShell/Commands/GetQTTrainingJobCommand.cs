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
    [ValidateJobState]
    [ArgumentCompleter(typeof(JobStateNames))]
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

/// <summary>
/// The values <c>-State</c> accepts: every job state, read from the state type so the list cannot drift from it.
/// (PowerShell Standard, which the module builds against to load on every pwsh 7.x, has no ValidateSet generator.)
/// </summary>
public sealed class ValidateJobStateAttribute : ValidateEnumeratedArgumentsAttribute
{
    /// <inheritdoc/>
    protected override void ValidateElement(object element)
    {
        var text = (element is PSObject wrapped ? wrapped.BaseObject : element) as string;
        if (text is null || !Enum.TryParse<JobState>(text, ignoreCase: true, out _) || int.TryParse(text, out _))
        {
            throw new ValidationMetadataException(
                $"'{element}' is not a job state. Use one of: {string.Join(", ", Enum.GetNames<JobState>())}.");
        }
    }
}

/// <summary>Tab completion for <c>-State</c>: the job states.</summary>
public sealed class JobStateNames : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        Enum.GetNames<JobState>()
            .Where(name => name.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name));
}
