using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// The embedded <see cref="IJobStore"/>: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a
/// write is on disk when its task completes. Writes are grouped into shared commits by
/// <see cref="SqliteWriteBatcher"/>; reads use pooled connections and never wait for writes.
/// </summary>
public sealed partial class SqliteJobStore : IJobStore, IAsyncDisposable
{
    private const string Columns = "body, version";

    private readonly string _connectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteWriteBatcher _writer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, QueuedJob>> _holdingByPool = new(StringComparer.Ordinal);

    /// <summary>Opens (and if needed creates) the database.</summary>
    public SqliteJobStore(IOptions<SqliteJobStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = System.IO.Path.GetFullPath(options.Value.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        _writeConnection = Open();

        // FULL makes each commit durable on its own. Only this connection commits, so only it needs the
        // pragma; readers are pooled, and Microsoft.Data.Sqlite already retries a busy read until DefaultTimeout.
        Execute(_writeConnection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;");
        Execute(_writeConnection, SqliteSchema.Create);
        using (var backfill = _writeConnection.BeginTransaction(deferred: false))
        {
            using var command = Command(_writeConnection, backfill, SqliteSchema.BackfillWaitingCounts);
            command.ExecuteNonQuery();
            backfill.Commit();
        }

        _writer = new SqliteWriteBatcher(_writeConnection);
    }

    /// <summary>Where the database lives.</summary>
    public string ConnectionString => _connectionString;

    /// <inheritdoc />
    public Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _writer.WriteAsync((connection, transaction) =>
        {
            // Insert first and read only on a clash: a new name (the common case) costs one statement.
            var stored = job with { Version = 1 };
            using var command = Command(connection, transaction, """
                INSERT INTO jobs (name, owner, state, instance_type, queue_key, waiting, holds_capacity,
                                  current_attempt, idempotency_key, version, body)
                VALUES ($name, $owner, $state, $type, $key, $waiting, $holding, $attempt, $idem, $version, $body)
                ON CONFLICT (name) DO NOTHING
                """);
            Bind(command, stored);
            if (command.ExecuteNonQuery() == 1)
            {
                return new JobAddResult(true, stored);
            }

            var existing = ReadOne(connection, transaction, "SELECT body, version FROM jobs WHERE name = $p0", job.Name)
                ?? throw new InvalidOperationException($"Job '{job.Name}' clashed on insert but cannot be read.");
            return new JobAddResult(false, existing);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobUpdateResult> TryUpdateAsync(QueuedJob current, QueuedJob updated, SchedulerLease? fence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        if (!string.Equals(current.Name, updated.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException("A job's name cannot change.", nameof(updated));
        }

        return _writer.WriteAsync((connection, transaction) =>
        {
            if (fence is not null && !FenceHolds(connection, transaction, fence))
            {
                return new JobUpdateResult(JobUpdateOutcome.FenceRejected, null);
            }

            var stored = updated with { Version = current.Version + 1 };
            using var command = Command(connection, transaction, """
                UPDATE jobs SET owner = $owner, state = $state, instance_type = $type, queue_key = $key,
                    waiting = $waiting, holds_capacity = $holding, current_attempt = $attempt,
                    idempotency_key = $idem, version = $version, body = $body
                WHERE name = $name AND version = $expected
                """);
            Bind(command, stored);
            command.Parameters.AddWithValue("$expected", current.Version);
            if (command.ExecuteNonQuery() == 1)
            {
                return new JobUpdateResult(JobUpdateOutcome.Updated, stored);
            }

            using var exists = Command(connection, transaction, "SELECT 1 FROM jobs WHERE name = $p0", current.Name);
            return new JobUpdateResult(exists.ExecuteScalar() is null ? JobUpdateOutcome.NotFound : JobUpdateOutcome.VersionConflict, null);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        return _writer.WriteAsync<SchedulerLease?>((connection, transaction) =>
        {
            using var read = Command(connection, transaction, "SELECT holder, token, expires_at FROM scheduler_lease WHERE id = 1");
            string? currentHolder = null;
            long token = 0;
            long expiresAt = 0;
            using (var reader = read.ExecuteReader())
            {
                if (reader.Read())
                {
                    currentHolder = reader.GetString(0);
                    token = reader.GetInt64(1);
                    expiresAt = reader.GetInt64(2);
                }
            }

            var nowMillis = now.ToUnixTimeMilliseconds();
            if (currentHolder is not null && currentHolder != holder && expiresAt > nowMillis)
            {
                return null;
            }

            var newToken = currentHolder == holder ? token : token + 1;
            var lease = new SchedulerLease(holder, newToken, now + duration);
            using var write = Command(connection, transaction, """
                INSERT INTO scheduler_lease (id, holder, token, expires_at) VALUES (1, $p0, $p1, $p2)
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
                """, holder, newToken, lease.ExpiresAt.ToUnixTimeMilliseconds());
            write.ExecuteNonQuery();
            return lease;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        ReadOneAsync("SELECT body, version FROM jobs WHERE name = $p0", name);

    /// <inheritdoc />
    public Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default) =>
        ReadOneAsync("SELECT body, version FROM jobs WHERE current_attempt = $p0", sageMakerJobName);

    /// <inheritdoc />
    public Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default) =>
        ReadOneAsync("SELECT body, version FROM jobs WHERE owner = $p0 AND idempotency_key = $p1", owner, idempotencyKey);

    /// <inheritdoc />
    public Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default) =>
        ReadManyAsync(
            $"SELECT {Columns} FROM jobs WHERE waiting = 1 AND instance_type = $p0 ORDER BY queue_key LIMIT $p1",
            instanceType,
            limit);

    /// <inheritdoc />
    /// <remarks>
    /// The scheduler reads every pool's holding jobs on every pass, and they rarely change between passes;
    /// parsing their JSON again was most of a pass's CPU time. A job whose version is unchanged since the
    /// last read of its pool is reused (a name and version always name the same content: every write
    /// raises the version). Only the pool's current holding jobs are kept, so the memory stays small.
    /// </remarks>
    public Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default)
    {
        var previous = _holdingByPool.GetValueOrDefault(instanceType);
        var current = new Dictionary<string, QueuedJob>(StringComparer.Ordinal);
        using var connection = Open();
        using var command = Command(connection, null, "SELECT name, version, body FROM jobs WHERE holds_capacity = 1 AND instance_type = $p0", instanceType);
        using var reader = command.ExecuteReader();
        var jobs = new List<QueuedJob>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            var version = reader.GetInt64(1);
            var job = previous is not null && previous.TryGetValue(name, out var cached) && cached.Version == version
                ? cached
                : Parse(reader.GetString(2), version);
            current[name] = job;
            jobs.Add(job);
        }

        _holdingByPool[instanceType] = current;
        return Task.FromResult<IReadOnlyList<QueuedJob>>(jobs);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Counting every waiting row ahead costs time in proportion to the queue (about 1 ms per 10,000 rows on
    /// a small machine), on every submit and every read of a waiting job. Instead, jobs of higher priority
    /// come from <c>waiting_counts</c>, and within the job's own priority the shorter side is counted: rows
    /// behind (subtracted from that priority's total) and rows ahead, each with a growing limit until one
    /// side ends. A newly submitted job is the last of its priority, so its position costs a few index steps.
    /// All reads share one snapshot.
    /// </remarks>
    public Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var key = job.QueueKey;
        var priorityKey = key[..QueueOrderKey.PriorityPrefixLength];

        // Every key of this priority starts with priorityKey followed by '|', and '}' sorts just after '|'.
        var priorityEnd = priorityKey + "}";
        using var connection = Open();
        using var snapshot = connection.BeginTransaction(deferred: true);
        var higher = Scalar(connection, snapshot, "SELECT COALESCE(SUM(waiting), 0) FROM waiting_counts WHERE instance_type = $p0 AND priority_key < $p1", job.InstanceType, priorityKey);
        var samePriority = Scalar(connection, snapshot, "SELECT COALESCE(SUM(waiting), 0) FROM waiting_counts WHERE instance_type = $p0 AND priority_key = $p1", job.InstanceType, priorityKey);
        for (var limit = 64L; ; limit *= 16)
        {
            var atOrBehind = CountRange(connection, snapshot, job.InstanceType, key, priorityEnd, limit);
            if (atOrBehind < limit)
            {
                snapshot.Commit();
                return Task.FromResult(higher + samePriority - atOrBehind);
            }

            var ahead = CountRange(connection, snapshot, job.InstanceType, priorityKey, key, limit);
            if (ahead < limit)
            {
                snapshot.Commit();
                return Task.FromResult(higher + ahead);
            }
        }
    }

    /// <inheritdoc />
    public async Task<JobListPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var after = DecodePageToken(query.PageToken);
        var sql = query.State is null
            ? $"SELECT {Columns} FROM jobs WHERE queue_key > $p0 ORDER BY queue_key LIMIT $p1"
            : $"SELECT {Columns} FROM jobs WHERE state = $p2 AND queue_key > $p0 ORDER BY queue_key LIMIT $p1";
        var jobs = await ReadManyAsync(sql, after, query.PageSize + 1, query.State?.ToString() ?? string.Empty).ConfigureAwait(false);
        if (jobs.Count <= query.PageSize)
        {
            return new JobListPage(jobs, null);
        }

        var page = jobs.Take(query.PageSize).ToList();
        return new JobListPage(page, EncodePageToken(page[^1].QueueKey));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _writeConnection.DisposeAsync().ConfigureAwait(false);
    }

    private static string EncodePageToken(string queueKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(queueKey));

    private static string DecodePageToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return string.Empty;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw new InvalidPageTokenException("The page token is not one this server issued.");
        }
    }

    private static bool FenceHolds(SqliteConnection connection, SqliteTransaction transaction, SchedulerLease fence)
    {
        using var command = Command(connection, transaction, "SELECT holder, token FROM scheduler_lease WHERE id = 1");
        using var reader = command.ExecuteReader();
        return reader.Read() && reader.GetString(0) == fence.Holder && reader.GetInt64(1) == fence.Token;
    }

    private static void Bind(SqliteCommand command, QueuedJob job)
    {
        var parameters = command.Parameters;
        parameters.AddWithValue("$name", job.Name);
        parameters.AddWithValue("$owner", job.Owner);
        parameters.AddWithValue("$state", job.State.ToString());
        parameters.AddWithValue("$type", job.InstanceType);
        parameters.AddWithValue("$key", job.QueueKey);
        parameters.AddWithValue("$waiting", job.State.IsWaiting() ? 1 : 0);
        parameters.AddWithValue("$holding", job.State.HoldsCapacity() ? 1 : 0);
        parameters.AddWithValue("$attempt", (object?)job.CurrentAttemptName ?? DBNull.Value);
        parameters.AddWithValue("$idem", (object?)job.IdempotencyKey ?? DBNull.Value);
        parameters.AddWithValue("$version", job.Version);
        parameters.AddWithValue("$body", JsonSerializer.Serialize(job, QueuedJobJsonContext.Default.QueuedJob));
    }

    private static QueuedJob Materialize(SqliteDataReader reader) => Parse(reader.GetString(0), reader.GetInt64(1));

    private static QueuedJob Parse(string body, long version)
    {
        var job = JsonSerializer.Deserialize(body, QueuedJobJsonContext.Default.QueuedJob)
            ?? throw new InvalidOperationException("A stored job was null.");
        return job with { Version = version };
    }

    private static QueuedJob? ReadOne(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object[] values)
    {
        using var command = Command(connection, transaction, sql, values);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Materialize(reader) : null;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }

        return command;
    }

    /// <summary>Waiting rows of a pool with <paramref name="from"/> ≤ queue_key &lt; <paramref name="to"/>, counted up to <paramref name="limit"/>.</summary>
    private static long CountRange(SqliteConnection connection, SqliteTransaction transaction, string instanceType, string from, string to, long limit) =>
        Scalar(
            connection,
            transaction,
            "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE waiting = 1 AND instance_type = $p0 AND queue_key >= $p1 AND queue_key < $p2 LIMIT $p3)",
            instanceType,
            from,
            to,
            limit);

    private static long Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, params object[] values)
    {
        using var command = Command(connection, transaction, sql, values);
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, null, sql);
        command.ExecuteNonQuery();
    }

    private Task<QueuedJob?> ReadOneAsync(string sql, params object[] values)
    {
        using var connection = Open();
        return Task.FromResult(ReadOne(connection, null, sql, values));
    }

    private Task<IReadOnlyList<QueuedJob>> ReadManyAsync(string sql, params object[] values)
    {
        using var connection = Open();
        using var command = Command(connection, null, sql, values);
        using var reader = command.ExecuteReader();
        var jobs = new List<QueuedJob>();
        while (reader.Read())
        {
            jobs.Add(Materialize(reader));
        }

        return Task.FromResult<IReadOnlyList<QueuedJob>>(jobs);
    }

    private SqliteConnection Open()
    {
        // WAL keeps readers off the writer's way. No per-open pragma: opening a pooled connection is on every read's path.
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
