using QueuedTraining.Client;

namespace Launcher;

/// <summary>Prints progress on the waiting thread, in order (<see cref="Progress{T}"/> would post it elsewhere).</summary>
internal sealed class SynchronousProgress(Action<QueuedJobStatus> report) : IProgress<QueuedJobStatus>
{
    public void Report(QueuedJobStatus value) => report(value);
}
