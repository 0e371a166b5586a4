using System.Management.Automation;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Disconnects this session from its training queue service.</para>
/// <para type="description">Forgets the endpoint and API key set by Connect-QTQueue. It changes nothing in the queue.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "QTQueue")]
[OutputType(typeof(void))]
public sealed class DisconnectQTQueueCommand : QueueCmdlet
{
    /// <inheritdoc/>
    protected override bool RequiresConnection => false;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = QueueConnections.Remove();
        if (session is null)
        {
            WriteVerbose("This session was not connected to a training queue.");
            return;
        }

        WriteVerbose($"Disconnected from {session.BaseAddress}.");
        session.Dispose();
    }
}
