using System.Management.Automation;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Shows each team's share of each instance pool and its use.</para>
/// <para type="description">Lists, per team and pool, the team's quota, lending mode and borrow limit, the instances its jobs hold, how many of them are above its quota, how much of its idle quota other teams hold, its waiting jobs and its fair-share usage. Writes nothing when the queue has no teams configured.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "QTTeam")]
[OutputType("QueuedTraining.Contracts.Queue.TeamPoolResource")]
public sealed class GetQTTeamCommand : QueueCmdlet
{
    /// <summary>Only these teams (wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Team { get; set; }

    /// <summary>Only these instance types (wildcards allowed).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? InstanceType { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var teams = RunOrTerminate(ct => Session.Client.GetTeamsAsync(ct), null);
        var teamPatterns = Patterns(Team);
        var poolPatterns = Patterns(InstanceType);
        foreach (var entry in teams.Teams)
        {
            if (Matches(teamPatterns, entry.Team) && Matches(poolPatterns, entry.InstanceType))
            {
                WriteObject(entry);
            }
        }
    }

    private static List<WildcardPattern>? Patterns(string[]? values) =>
        values?.Select(v => new WildcardPattern(v, WildcardOptions.IgnoreCase)).ToList();

    private static bool Matches(List<WildcardPattern>? patterns, string value) =>
        patterns is null || patterns.Any(p => p.IsMatch(value));
}
