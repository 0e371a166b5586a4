using System.Management.Automation;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Shows each instance pool's capacity and use.</para>
/// <para type="description">Lists the queue's instance pools: how many instances each has, how many running jobs hold, and how many are free. An instance type without wildcards that the queue has no pool of writes a QueuedTraining.PoolNotFound error.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "QTCapacity")]
[OutputType("QueuedTraining.Contracts.Queue.PoolCapacityResource")]
public sealed class GetQTCapacityCommand : QueueCmdlet
{
    /// <summary>Only these instance types (wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? InstanceType { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var capacity = RunOrTerminate(ct => Session.Client.GetCapacityAsync(ct), null);
        var patterns = InstanceType?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
        foreach (var pool in capacity.Pools)
        {
            if (patterns is null || patterns.Any(p => p.IsMatch(pool.InstanceType)))
            {
                WriteObject(pool);
            }
        }

        // As Get-Item does: a name without wildcards that matches nothing is an error, a pattern that matches nothing is not.
        foreach (var type in InstanceType ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(type)
                && !capacity.Pools.Any(p => string.Equals(p.InstanceType, type, StringComparison.OrdinalIgnoreCase)))
            {
                WriteError(QueueErrors.PoolNotFound(type, capacity.Pools.Select(p => p.InstanceType)));
            }
        }
    }
}
