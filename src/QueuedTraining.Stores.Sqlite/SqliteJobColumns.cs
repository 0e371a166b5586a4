using Microsoft.Data.Sqlite;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// The columns of a job's row besides its name, version and body: each exists to be indexed. An UPDATE names only
/// the ones that changed, because SQLite rewrites an entry of every index over a column the UPDATE sets, changed or
/// not, and each index entry rewritten is another page in the WAL (the trace counted about seven per commit).
/// </summary>
internal static class SqliteJobColumns
{
    private static readonly Column[] Indexed =
    [
        new("owner", "$owner", j => j.Owner),
        new("state", "$state", j => j.State.ToString()),
        new("instance_type", "$type", j => j.InstanceType),
        new("queue_key", "$key", j => j.QueueKey),
        new("waiting", "$waiting", j => j.State.IsWaiting() ? 1 : 0),
        new("holds_capacity", "$holding", j => j.State.HoldsCapacity() ? 1 : 0),
        new("current_attempt", "$attempt", j => (object?)j.CurrentAttemptName ?? DBNull.Value),
        new("idempotency_key", "$idem", j => (object?)j.IdempotencyKey ?? DBNull.Value),
        new("changed_key", "$changed", JobChangeKey.Of),
    ];

    // One UPDATE text per set of changed columns, made once; each is then prepared once per connection.
    private static readonly string?[] Updates = new string?[1 << Indexed.Length];

    public static readonly string Insert =
        $"INSERT INTO jobs (name, {string.Join(", ", Indexed.Select(c => c.Name))}, version, body) " +
        $"VALUES ($name, {string.Join(", ", Indexed.Select(c => c.Parameter))}, $version, $body) ON CONFLICT DO NOTHING";

    /// <summary>Binds every column of <paramref name="job"/>, with <paramref name="body"/> as its JSON.</summary>
    public static void Bind(SqliteCommand command, QueuedJob job, string body)
    {
        var parameters = command.Parameters;
        parameters.AddWithValue("$name", job.Name);
        foreach (var column in Indexed)
        {
            parameters.AddWithValue(column.Parameter, column.Value(job));
        }

        parameters.AddWithValue("$version", job.Version);
        parameters.AddWithValue("$body", body);
    }

    /// <summary>
    /// The UPDATE that turns the row of <paramref name="current"/> into <paramref name="updated"/>, conditioned on
    /// <c>$expected</c>, the current version: it sets the version, the body and the indexed columns that differ.
    /// </summary>
    public static string UpdateOf(QueuedJob current, QueuedJob updated)
    {
        var changed = 0;
        for (var i = 0; i < Indexed.Length; i++)
        {
            if (!Equals(Indexed[i].Value(current), Indexed[i].Value(updated)))
            {
                changed |= 1 << i;
            }
        }

        return Updates[changed] ??= Compose(changed);
    }

    private static string Compose(int changed)
    {
        var sets = Indexed.Where((_, i) => (changed & (1 << i)) != 0).Select(c => $"{c.Name} = {c.Parameter}");
        return $"UPDATE jobs SET {string.Join(", ", sets.Append("version = $version").Append("body = $body"))} WHERE name = $name AND version = $expected";
    }

    private sealed record Column(string Name, string Parameter, Func<QueuedJob, object> Value);
}
