using Microsoft.Extensions.Options;

namespace QueuedTraining.Core.Tests;

/// <summary>Options that never change, for components built without a host.</summary>
internal sealed class StaticOptionsMonitor(QueueOptions value) : IOptionsMonitor<QueueOptions>
{
    public QueueOptions CurrentValue => value;

    public QueueOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<QueueOptions, string?> listener) => null;
}
