using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client.Tests.Fixtures;

/// <summary>Waits for a job to reach a state by polling the queue; a generous bound keeps a broken test from hanging.</summary>
internal static class JobPolling
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    public static async Task<TrainingJobResource> UntilAsync(TrainingQueueClient queue, string name, Func<TrainingJobResource, bool> condition)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (true)
        {
            var job = await queue.GetJobAsync(name, bound.Token);
            if (condition(job))
            {
                return job;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), bound.Token);
        }
    }

    public static Task<TrainingJobResource> UntilStateAsync(TrainingQueueClient queue, string name, JobState state) =>
        UntilAsync(queue, name, j => j.State == state);
}
