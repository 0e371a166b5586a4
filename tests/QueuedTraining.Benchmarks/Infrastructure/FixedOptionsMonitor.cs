using Microsoft.Extensions.Options;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>Options that never change, for components assembled without a host.</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
