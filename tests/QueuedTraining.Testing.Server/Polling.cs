namespace QueuedTraining.Testing.Server;

/// <summary>Waits for a condition by polling with a generous deadline; never asserts on how long it took.</summary>
public static class Polling
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting: {what}.");
            }

            await Task.Delay(50);
        }
    }
}
