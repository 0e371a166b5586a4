using System.Management.Automation;
using System.Net;
using System.Security;
using QueuedTraining.Client;
using QueuedTraining.PowerShell.Engine;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Connects this session to a training queue service.</para>
/// <para type="description">Sets the queue endpoint and API key that the other QT cmdlets of this session use, after checking that the service answers (unless -SkipCheck). Writes nothing unless -PassThru.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "QTQueue")]
[OutputType(typeof(QueueConnectionInfo))]
public sealed class ConnectQTQueueCommand : QueueCmdlet
{
    /// <summary>The queue service's address, for example http://127.0.0.1:5080.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Uri", "Endpoint")]
    public Uri BaseAddress { get; set; } = null!;

    /// <summary>The API key for a service in ApiKey mode.</summary>
    [Parameter]
    public SecureString? ApiKey { get; set; }

    /// <summary>How often a failed call is retried (0–20).</summary>
    [Parameter]
    [ValidateRange(0, 20)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The longest one call may take, its retries included, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 180;

    /// <summary>Connects without asking the service for its capacity first.</summary>
    [Parameter]
    public SwitchParameter SkipCheck { get; set; }

    /// <summary>Writes the connection. Without it the cmdlet writes nothing, as setting a session's credentials does in
    /// AWS.Tools: an object of its own shape first in a script's output would make PowerShell show the jobs that follow
    /// in its columns, that is as blank rows.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override bool RequiresConnection => false;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // Checked here, so the error names the address as typed and what to type instead.
        if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            ThrowTerminatingError(QueueErrors.InvalidAddress(BaseAddress));
        }

        QueueSession session;
        try
        {
            session = QueueSession.Open(new QueueSessionSettings
            {
                BaseAddress = BaseAddress,
                ApiKey = ApiKey is null ? null : new NetworkCredential(string.Empty, ApiKey).Password,
                MaxRetryAttempts = MaxRetryAttempts,
                TotalTimeout = TimeSpan.FromSeconds(TimeoutSec),
            });
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, QueueErrorIds.InvalidRequest, ErrorCategory.InvalidArgument, BaseAddress));
            return;
        }

        int? pools = null;
        if (!SkipCheck)
        {
            try
            {
                pools = Run(ct => session.Client.GetCapacityAsync(ct)).Pools.Count;
            }
            catch (TrainingQueueException ex)
            {
                session.Dispose();
                ThrowTerminatingError(QueueErrors.From(ex, BaseAddress));
            }
            catch (PipelineStoppedException)
            {
                session.Dispose();
                throw;
            }
        }

        QueueConnections.Set(session);
        if (PassThru)
        {
            WriteObject(new QueueConnectionInfo(session.BaseAddress, session.UsesApiKey, pools));
        }
    }
}
