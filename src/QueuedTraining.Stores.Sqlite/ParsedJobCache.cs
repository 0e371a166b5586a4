using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// Parsed jobs by name, reused while their version is unchanged. The scheduler and the state-change path read
/// the same few jobs (each pool's holding jobs and queue heads) over and over, and parsing their JSON was the
/// largest part of that work. Every write raises a job's version and jobs are never deleted, so a name and a
/// version always name the same content; a stale entry only costs a parse. Only committed writes are added.
/// Bounded: after every <c>capacity</c> additions it starts again empty, and the working set fills it within a pass.
/// </summary>
internal sealed class ParsedJobCache(int capacity)
{
    private readonly ConcurrentDictionary<string, QueuedJob> _jobs = new(StringComparer.Ordinal);
    private int _added;

    /// <summary>The job in the current row of <paramref name="reader"/>, whose columns are name, version, body.</summary>
    public QueuedJob Read(SqliteDataReader reader)
    {
        var name = reader.GetString(0);
        var version = reader.GetInt64(1);
        if (_jobs.TryGetValue(name, out var cached) && cached.Version == version)
        {
            return cached;
        }

        var job = Parse(reader);
        Remember(job);
        return job;
    }

    /// <summary>Parses the current row without keeping it: for reads inside a write transaction that may not commit.</summary>
    public static QueuedJob Parse(SqliteDataReader reader)
    {
        var job = JsonSerializer.Deserialize(reader.GetString(2), QueuedJobJsonContext.Storage.QueuedJob)
            ?? throw new InvalidOperationException($"Stored job '{reader.GetString(0)}' was null.");
        return job with { Version = reader.GetInt64(1) };
    }

    /// <summary>Keeps <paramref name="job"/> as the parsed form of its version (call only once its write committed).</summary>
    public void Remember(QueuedJob job)
    {
        // Counted here rather than with _jobs.Count, which takes every lock of the dictionary.
        if (Interlocked.Increment(ref _added) % capacity == 0)
        {
            _jobs.Clear();
        }

        _jobs[job.Name] = job;
    }
}
