namespace QueuedTraining.Server;

/// <summary>Why the service could not start, as an exit code, and how to find the cause inside a host's wrapping.</summary>
public static class StartupFailure
{
    /// <summary>The configuration failed validation.</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>The job store is damaged and must be restored.</summary>
    public const int StoreDamagedExitCode = 3;

    /// <summary>The first <typeparamref name="T"/> in <paramref name="exception"/> or its inner exceptions, or null.</summary>
    public static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }
}
