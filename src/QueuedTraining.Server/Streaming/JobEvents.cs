using System.Globalization;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Server.Streaming;

/// <summary>
/// Turns a stored job into the events of its transitions. Every transition appends an entry to the job's history
/// (<see cref="JobLifecycle"/>), so the history is the event log and nothing else is written for the stream.
/// </summary>
internal static class JobEvents
{
    /// <summary>The events in <paramref name="job"/>'s history whose ids sort after <paramref name="afterId"/>.</summary>
    public static IEnumerable<JobEventResource> After(QueuedJob job, string afterId)
    {
        var sameMoment = 0;
        for (var i = 0; i < job.History.Count; i++)
        {
            var entry = job.History[i];
            sameMoment = i > 0 && job.History[i - 1].At.ToUnixTimeMilliseconds() == entry.At.ToUnixTimeMilliseconds() ? sameMoment + 1 : 0;
            var id = IdOf(entry.At, job.Name, sameMoment);
            if (string.CompareOrdinal(id, afterId) > 0)
            {
                yield return new JobEventResource
                {
                    Id = id,
                    Type = TypeOf(entry.State, i == 0 ? null : job.History[i - 1].State),
                    Job = job.Name,
                    State = entry.State,
                    Reason = entry.Reason,
                    At = entry.At,
                    Owner = job.Owner,
                    InstanceType = job.InstanceType,
                    InstanceCount = job.InstanceCount,
                    Priority = job.Priority,
                };
            }
        }
    }

    /// <summary>The Unix milliseconds an event id starts with; 0 when it is not one of ours.</summary>
    public static long MillisecondsOf(string id) =>
        id.Length >= 15 && long.TryParse(id.AsSpan(0, 15), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : 0;

    /// <summary>The id every event of moment <paramref name="ms"/> sorts after.</summary>
    public static string Before(long ms) => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, ms):D15}|");

    private static string IdOf(DateTimeOffset at, string name, int sameMoment) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, at.ToUnixTimeMilliseconds()):D15}|{name}|{sameMoment:D2}");

    // History starts with the submission; a job kept in its state (a priority change) was updated, not moved.
    private static string TypeOf(JobState state, JobState? before) => (state, before) switch
    {
        (JobState.Pending, null) => "submitted",
        (_, { } previous) when previous == state => "updated",
        (JobState.Running, _) => "started",
        _ => state.ToString().ToLowerInvariant(),
    };
}
