namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>Records progress reports synchronously, in order (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<T> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_gate)
            {
                return [.. _reports];
            }
        }
    }

    public Task<T> First => _first.Task;

    public void Report(T value)
    {
        lock (_gate)
        {
            _reports.Add(value);
        }

        _first.TrySetResult(value);
    }
}
