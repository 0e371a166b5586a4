using System.Management.Automation;
using QueuedTraining.Client;
using QueuedTraining.PowerShell.Engine;

namespace QueuedTraining.PowerShell;

/// <summary>
/// The base of the cmdlets that talk to the queue: the session's connection, and async calls run to completion at
/// this boundary with a token that Ctrl+C (<see cref="StopProcessing"/>) cancels.
/// </summary>
public abstract class QueueCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private QueueSession? _session;

    /// <summary>Cancelled when the pipeline stops (Ctrl+C).</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>The session's connection; set by BeginProcessing.</summary>
    internal QueueSession Session => _session ?? throw new InvalidOperationException("BeginProcessing has not run.");

    /// <summary>Whether this cmdlet needs <c>Connect-QTQueue</c> to have run.</summary>
    protected virtual bool RequiresConnection => true;

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (RequiresConnection)
        {
            _session = QueueConnections.Current;
            if (_session is null)
            {
                ThrowTerminatingError(QueueErrors.NotConnected());
            }
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs <paramref name="call"/> to completion; a Ctrl+C ends it as a stopped pipeline.</summary>
    internal T Run<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return call(StopToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Runs <paramref name="call"/>; a refusal of the queue ends the cmdlet with its error record.</summary>
    internal T RunOrTerminate<T>(Func<CancellationToken, Task<T>> call, object? target)
    {
        try
        {
            return Run(call);
        }
        catch (TrainingQueueException ex)
        {
            ThrowTerminatingError(QueueErrors.From(ex, target));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> and writes a non-terminating error for a refusal of the queue, so the other
    /// names in the pipeline still run. Returns false when it wrote one.
    /// </summary>
    internal bool TryRun<T>(Func<CancellationToken, Task<T>> call, object? target, out T? result)
    {
        try
        {
            result = Run(call);
            return true;
        }
        catch (TrainingQueueException ex)
        {
            WriteError(QueueErrors.From(ex, target));
            result = default;
            return false;
        }
    }

    /// <summary>Whether <c>-WhatIf</c> is in force, given as a parameter or by <c>$WhatIfPreference</c>.</summary>
    protected bool IsWhatIf =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
}
