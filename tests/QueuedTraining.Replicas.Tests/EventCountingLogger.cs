using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace QueuedTraining.Replicas.Tests;

/// <summary>Counts log events by id and keeps the errors, so a test can say what a background process went through.</summary>
internal sealed class EventCountingLogger<T> : ILogger<T>
{
    private readonly ConcurrentDictionary<int, int> _counts = new();

    public ConcurrentQueue<Exception> Errors { get; } = new();

    public int Count(int eventId) => _counts.TryGetValue(eventId, out var count) ? count : 0;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _counts.AddOrUpdate(eventId.Id, 1, (_, count) => count + 1);
        if (logLevel >= LogLevel.Error && exception is not null)
        {
            Errors.Enqueue(exception);
        }
    }
}
