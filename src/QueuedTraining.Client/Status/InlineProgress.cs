namespace QueuedTraining.Client;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, before <c>Report</c> returns. Pass it to
/// <see cref="TrainingJobWaiter"/> to print progress in order: every status is handled before the wait returns, so a
/// console line written for it precedes the outcome. <see cref="Progress{T}"/> instead posts each report to the
/// synchronization context it was created on — in a console app, none, so the thread pool — where it may run after the
/// wait has returned and its result been printed; it fits UI threads, which do have a context.
/// </summary>
/// <typeparam name="T">The reported value, for example <see cref="QueuedJobStatus"/>.</typeparam>
public sealed class InlineProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Creates the progress.</summary>
    /// <param name="handler">Runs for each report, on the reporting thread; it should return quickly.</param>
    public InlineProgress(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
    }

    /// <summary>Runs the handler now, on this thread.</summary>
    /// <param name="value">The reported value.</param>
    public void Report(T value) => _handler(value);
}
