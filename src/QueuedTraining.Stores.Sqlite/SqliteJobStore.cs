using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using static System.FormattableString;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// The embedded <see cref="IJobStore"/>: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a
/// write is on disk when its task completes, unless it was <see cref="WriteDurability.Deferred"/>. Writes are grouped into shared commits by
/// <see cref="SqliteWriteBatcher"/>; reads borrow open sessions (<see cref="SqliteReadSessions"/>) and never wait for writes.
/// Every connection keeps its statements prepared (<see cref="SqliteSession"/>).
/// </summary>
public sealed partial class SqliteJobStore : IJobStore, IJobChangeLog, IAsyncDisposable
{
    // Every read of whole jobs selects these, in this order, for ParsedJobCache.Read.
    private const string Columns = "name, version, body";

    private readonly string _connectionString;
    private readonly SqliteSession _writeSession;
    private readonly SqliteWriteBatcher _writer;
    private readonly SqliteReadSessions _readers;
    private readonly ParsedJobCache _parsed = new(capacity: 4096);
    private readonly PoolViewCache _views = new();

    /// <summary>Opens (and if needed creates) the database.</summary>
    public SqliteJobStore(IOptions<SqliteJobStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = System.IO.Path.GetFullPath(options.Value.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        SqliteDatabaseFile.EnsureUsable(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        try
        {
            _writeSession = new SqliteSession(_connectionString);
            Open(_writeSession, options.Value.CheckIntegrityOnOpen, path);
        }
        catch (Exception ex) when (ex is SqliteException or JobStoreDamagedException)
        {
            _writeSession?.Dispose();
            throw ex as JobStoreDamagedException
                ?? new JobStoreDamagedException($"The job database {path} cannot be opened as SQLite ({ex.Message}). Restore it from a backup; see docs/security.md.", ex);
        }

        _writer = new SqliteWriteBatcher(_writeSession);
        _readers = new SqliteReadSessions(_connectionString, maxIdle: Math.Max(4, Environment.ProcessorCount * 4), _writer);
    }

    /// <summary>Where the database lives.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>
    /// Writes a consistent copy of the database to <paramref name="destinationPath"/> while the queue runs (SQLite's
    /// <c>VACUUM INTO</c>: one read transaction, writers go on). Restoring is stopping the service and putting the copy
    /// in place of the file (and removing the old file's <c>-wal</c> and <c>-shm</c>).
    /// </summary>
    public Task BackupAsync(string destinationPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        var destination = System.IO.Path.GetFullPath(destinationPath);
        if (File.Exists(destination))
        {
            throw new IOException($"The backup destination {destination} exists; VACUUM INTO would refuse it too.");
        }

        return Task.Run(
            () =>
            {
                using var session = new SqliteSession(_connectionString);
                using var command = session.Connection.CreateCommand();
                command.CommandText = "VACUUM INTO $destination";
                command.Parameters.AddWithValue("$destination", destination);
                command.ExecuteNonQuery();
            },
            cancellationToken);
    }

    private static void Open(SqliteSession session, bool checkIntegrity, string path)
    {
        // Readers never write, and Microsoft.Data.Sqlite already retries a busy read until DefaultTimeout. The
        // writer's synchronous setting belongs to the batcher; the start-up writes below repeat safely if lost.
        Execute(session.Connection, "PRAGMA busy_timeout = 30000;");
        if (TableExists(session.Connection, "jobs"))
        {
            Execute(session.Connection, SqliteSchema.UniqueIdempotencyKeys);
            if (!ColumnExists(session.Connection, "jobs", "changed_key"))
            {
                Execute(session.Connection, SqliteSchema.AddChangedKey);
            }
        }

        Execute(session.Connection, SqliteSchema.Create);
        using (var backfill = session.Connection.BeginTransaction(deferred: false))
        {
            using var command = session.Connection.CreateCommand();
            command.Transaction = backfill;
            command.CommandText = SqliteSchema.BackfillWaitingCounts + SqliteSchema.FinishedQueueKeys + SqliteSchema.BackfillChangedKeys;
            command.ExecuteNonQuery();
            backfill.Commit();
        }

        if (checkIntegrity)
        {
            using var check = session.Connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check(5);";
            using var reader = check.ExecuteReader();
            var problems = new List<string>();
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }

            if (problems is not ["ok"])
            {
                throw new JobStoreDamagedException($"The job database {path} is damaged (quick_check: {string.Join("; ", problems)}). Restore it from a backup; see docs/security.md.");
            }
        }
    }

    /// <inheritdoc />
    public Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);

        // Serialised here, on the caller's thread: the writer's thread is the one every write waits for. Unlike an
        // update, a new job is not kept parsed: most wait far behind the head, and thousands of new jobs kept
        // alive for a while would cost the garbage collector more than the few parses they save.
        var stored = job with { Version = 1 };
        var body = Serialize(stored);
        return _writer.WriteAsync(session =>
        {
            // Insert first and read only on a clash: a new name (the common case) costs one statement. The clash is on
            // the name, or on the owner's idempotency key, which a unique index holds to one job in the same write.
            var command = session.Command(SqliteJobColumns.Insert);
            SqliteJobColumns.Bind(command, stored, body);
            if (command.ExecuteNonQuery() == 1)
            {
                return new JobAddResult(true, stored);
            }

            return new JobAddResult(false, ReadClash(session, job) ?? throw new InvalidOperationException($"Job '{job.Name}' clashed on insert but nothing it clashed with can be read."));
        }, WriteDurability.Immediate, cancellationToken, added =>
        {
            if (added.Added)
            {
                _views.Committed(null, added.Job);
            }
        });
    }

    private static QueuedJob? ReadClash(SqliteSession session, QueuedJob job)
    {
        using (var byName = session.Command($"SELECT {Columns} FROM jobs WHERE name = $p0", job.Name).ExecuteReader())
        {
            if (byName.Read())
            {
                return ParsedJobCache.Parse(byName);
            }
        }

        if (job.IdempotencyKey is null)
        {
            return null;
        }

        using var byKey = session.Command($"SELECT {Columns} FROM jobs WHERE owner = $p0 AND idempotency_key = $p1", job.Owner, job.IdempotencyKey).ExecuteReader();
        return byKey.Read() ? ParsedJobCache.Parse(byKey) : null;
    }

    private static bool TableExists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return command.ExecuteScalar() is not null;
    }

    private static bool ColumnExists(SqliteConnection connection, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM pragma_table_info($table) WHERE name = $column";
        command.Parameters.AddWithValue("$table", table);
        command.Parameters.AddWithValue("$column", column);
        return command.ExecuteScalar() is not null;
    }

    /// <inheritdoc />
    public async Task<JobUpdateResult> TryUpdateAsync(
        QueuedJob current,
        QueuedJob updated,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        if (!string.Equals(current.Name, updated.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException("A job's name cannot change.", nameof(updated));
        }

        var stored = updated with { Version = current.Version + 1 };
        var body = Serialize(stored);
        var result = await _writer.WriteAsync(session =>
        {
            if (fence is not null && !FenceHolds(session, fence))
            {
                return new JobUpdateResult(JobUpdateOutcome.FenceRejected, null);
            }

            var command = session.Command(SqliteJobColumns.UpdateOf(current, stored));
            SqliteJobColumns.Bind(command, stored, body);
            command.Parameters.AddWithValue("$expected", current.Version);
            if (command.ExecuteNonQuery() == 1)
            {
                return new JobUpdateResult(JobUpdateOutcome.Updated, stored);
            }

            var exists = session.Command("SELECT 1 FROM jobs WHERE name = $p0", current.Name);
            return new JobUpdateResult(exists.ExecuteScalar() is null ? JobUpdateOutcome.NotFound : JobUpdateOutcome.VersionConflict, null);
        }, durability, cancellationToken, written =>
        {
            if (written.Job is not null)
            {
                _parsed.Remember(written.Job);
                _views.Committed(current, written.Job);
            }
        }).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        return _writer.WriteAsync<SchedulerLease?>(session =>
        {
            var read = session.Command("SELECT holder, token, expires_at FROM scheduler_lease WHERE id = 1");
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
            var write = session.Command("""
                INSERT INTO scheduler_lease (id, holder, token, expires_at) VALUES (1, $p0, $p1, $p2)
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
                """, holder, newToken, lease.ExpiresAt.ToUnixTimeMilliseconds());
            write.ExecuteNonQuery();
            return lease;
        }, WriteDurability.Immediate, cancellationToken);
    }

    /// <inheritdoc />
    public Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        ReadOneAsync($"SELECT {Columns} FROM jobs WHERE name = $p0", name);

    /// <inheritdoc />
    public Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default) =>
        ReadOneAsync($"SELECT {Columns} FROM jobs WHERE current_attempt = $p0", sageMakerJobName);

    /// <inheritdoc />
    public Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default) =>
        ReadOneAsync($"SELECT {Columns} FROM jobs WHERE owner = $p0 AND idempotency_key = $p1", owner, idempotencyKey);

    /// <inheritdoc />
    /// <remarks>
    /// The limit is written into the SQL, not bound: SQLite reads a bound LIMIT while planning, so it prepares
    /// such a statement again on every execution. The scheduler asks for a handful of distinct limits, each kept
    /// prepared. The head of each pool's line is served from memory once read (see <see cref="PoolViewCache"/>), when
    /// the writer's session is idle to check that no other connection wrote.
    /// </remarks>
    public Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(instanceType);
        if (limit <= PoolViewCache.MaxCachedLimit && TryReadViews(
            session => _views.TakeWaiting(
                instanceType,
                limit,
                (after, count) => after is null
                    ? ReadMany(session, WaitingSql(count), instanceType)
                    : ReadMany(session, Invariant($"SELECT {Columns} FROM jobs WHERE waiting = 1 AND instance_type = $p0 AND queue_key > $p1 ORDER BY queue_key LIMIT {count}"), instanceType, after)),
            out var waiting))
        {
            return Task.FromResult(waiting);
        }

        return ReadManyAsync(WaitingSql(limit), instanceType);
    }

    /// <inheritdoc />
    /// <remarks>Served from memory once read, like the head of the waiting line (see <see cref="PoolViewCache"/>).</remarks>
    public Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceType);
        const string Holding = $"SELECT {Columns} FROM jobs WHERE holds_capacity = 1 AND instance_type = $p0";
        return TryReadViews(session => _views.TakeHolding(instanceType, () => ReadMany(session, Holding, instanceType)), out var holding)
            ? Task.FromResult(holding)
            : ReadManyAsync(Holding, instanceType);
    }

    /// <summary>
    /// Runs <paramref name="read"/> over the pool views while the writer's idle session is borrowed (no commit can run
    /// meanwhile), after dropping them if another connection wrote; false, without reading, when the writer is busy.
    /// </summary>
    private bool TryReadViews(Func<SqliteSession, List<QueuedJob>> read, out IReadOnlyList<QueuedJob> jobs)
    {
        if (!_writer.TryBorrowIdleSession(out var session))
        {
            jobs = [];
            return false;
        }

        try
        {
            _views.Validate(DataVersion(session));
            jobs = read(session);
            return true;
        }
        finally
        {
            _writer.ReturnIdleSession();
        }
    }

    private static string WaitingSql(int limit) =>
        Invariant($"SELECT {Columns} FROM jobs WHERE waiting = 1 AND instance_type = $p0 ORDER BY queue_key LIMIT {limit}");

    /// <summary>Moves only when another connection commits to the file (SQLite's <c>PRAGMA data_version</c>).</summary>
    private static long DataVersion(SqliteSession session) => Scalar(session, "PRAGMA data_version");

    /// <inheritdoc />
    /// <remarks>
    /// Counting every waiting row ahead costs time in proportion to the queue (about 1 ms per 10,000 rows on
    /// a small machine), on every submit and every read of a waiting job. Instead, jobs of higher priority
    /// come from <c>waiting_counts</c>, and within the job's own priority the shorter side is counted: rows
    /// behind (subtracted from that priority's total) and rows ahead, each with a growing limit until one
    /// side ends. A newly submitted job is the last of its priority, so its position costs a few index steps.
    /// All reads share one snapshot: the common case is a single statement, the rest one read transaction.
    /// </remarks>
    public Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var key = job.QueueKey;
        var priorityKey = key[..QueueOrderKey.PriorityPrefixLength];

        // Every key of this priority starts with priorityKey followed by '|', and '}' sorts just after '|'.
        // Jobs submitted together are behind one another, so the common case counts up to 1,024 rows behind in
        // one statement. Limits are literals (see GetWaitingAsync).
        var priorityEnd = priorityKey + "}";
        const long firstLimit = 1024;
        using var lease = _readers.Rent();
        var session = lease.Session;
        using (var reader = session.Command(
            """
            SELECT (SELECT COALESCE(SUM(waiting), 0) FROM waiting_counts WHERE instance_type = $p0 AND priority_key < $p1),
                   (SELECT COALESCE(SUM(waiting), 0) FROM waiting_counts WHERE instance_type = $p0 AND priority_key = $p1),
                   (SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE waiting = 1 AND instance_type = $p0 AND queue_key >= $p2 AND queue_key < $p3 LIMIT 1024))
            """,
            job.InstanceType,
            priorityKey,
            key,
            priorityEnd).ExecuteReader())
        {
            reader.Read();
            var atOrBehind = reader.GetInt64(2);
            if (atOrBehind < firstLimit)
            {
                return Task.FromResult(reader.GetInt64(0) + reader.GetInt64(1) - atOrBehind);
            }
        }

        return Task.FromResult(CountWaitingAheadInSnapshot(session, job.InstanceType, priorityKey, key, priorityEnd));
    }

    /// <summary>The long way of <see cref="CountWaitingAheadAsync"/>: many waiting jobs of the same priority on both sides.</summary>
    private static long CountWaitingAheadInSnapshot(SqliteSession session, string instanceType, string priorityKey, string key, string priorityEnd)
    {
        using var snapshot = session.BeginTransaction(deferred: true);
        var higher = Scalar(session, "SELECT COALESCE(SUM(waiting), 0) FROM waiting_counts WHERE instance_type = $p0 AND priority_key < $p1", instanceType, priorityKey);
        var samePriority = Scalar(session, "SELECT COALESCE(SUM(waiting), 0) FROM waiting_counts WHERE instance_type = $p0 AND priority_key = $p1", instanceType, priorityKey);
        for (var limit = 64L; ; limit *= 16)
        {
            var atOrBehind = CountRange(session, instanceType, key, priorityEnd, limit);
            if (atOrBehind < limit)
            {
                snapshot.Commit();
                return higher + samePriority - atOrBehind;
            }

            var ahead = CountRange(session, instanceType, priorityKey, key, limit);
            if (ahead < limit)
            {
                snapshot.Commit();
                return higher + ahead;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>One statement: the oldest finished jobs are the last keys of <c>jobs_queue</c>.</remarks>
    public Task<int> RemoveFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var from = QueueOrderKey.FinishedBefore(endedBefore);
        return _writer.WriteAsync(
            session => session.Command(
                Invariant($"DELETE FROM jobs WHERE name IN (SELECT name FROM jobs WHERE queue_key >= $p0 ORDER BY queue_key DESC LIMIT {limit})"),
                from).ExecuteNonQuery(),
            WriteDurability.Immediate,
            cancellationToken,
            removed =>
            {
                // Finished jobs are never in a view, but a bulk delete names no job: the views are not left to reasoning.
                if (removed > 0)
                {
                    _views.Clear();
                }
            });
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
    /// <remarks>A range read of the <c>jobs_changed</c> index; the limit is a literal for the reason given at <see cref="GetWaitingAsync"/>.</remarks>
    public Task<IReadOnlyList<QueuedJob>> GetChangedAfterAsync(string afterKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(afterKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadManyAsync(Invariant($"SELECT {Columns} FROM jobs WHERE changed_key > $p0 ORDER BY changed_key LIMIT {limit}"), afterKey);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _writeSession.Dispose();
        _readers.Dispose();
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

    private static bool FenceHolds(SqliteSession session, SchedulerLease fence)
    {
        using var reader = session.Command("SELECT holder, token FROM scheduler_lease WHERE id = 1").ExecuteReader();
        return reader.Read() && reader.GetString(0) == fence.Holder && reader.GetInt64(1) == fence.Token;
    }

    private static string Serialize(QueuedJob job) => JsonSerializer.Serialize(job, QueuedJobJsonContext.Storage.QueuedJob);

    private QueuedJob? ReadOne(SqliteSession session, string sql, params ReadOnlySpan<object> values)
    {
        using var reader = session.Command(sql, values).ExecuteReader();
        return reader.Read() ? _parsed.Read(reader) : null;
    }

    /// <summary>Waiting rows of a pool with <paramref name="from"/> ≤ queue_key &lt; <paramref name="to"/>, counted up to <paramref name="limit"/>.</summary>
    private static long CountRange(SqliteSession session, string instanceType, string from, string to, long limit) =>
        Scalar(
            session,
            Invariant($"SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE waiting = 1 AND instance_type = $p0 AND queue_key >= $p1 AND queue_key < $p2 LIMIT {limit})"),
            instanceType,
            from,
            to);

    private static long Scalar(SqliteSession session, string sql, params ReadOnlySpan<object> values) =>
        (long)session.Command(sql, values).ExecuteScalar()!;

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private Task<QueuedJob?> ReadOneAsync(string sql, params ReadOnlySpan<object> values)
    {
        using var lease = _readers.Rent();
        return Task.FromResult(ReadOne(lease.Session, sql, values));
    }

    private Task<IReadOnlyList<QueuedJob>> ReadManyAsync(string sql, params ReadOnlySpan<object> values) => Task.FromResult<IReadOnlyList<QueuedJob>>(ReadMany(sql, values));

    private List<QueuedJob> ReadMany(string sql, params ReadOnlySpan<object> values)
    {
        using var lease = _readers.Rent();
        return ReadMany(lease.Session, sql, values);
    }

    private List<QueuedJob> ReadMany(SqliteSession session, string sql, params ReadOnlySpan<object> values)
    {
        using var reader = session.Command(sql, values).ExecuteReader();
        var jobs = new List<QueuedJob>();
        while (reader.Read())
        {
            jobs.Add(_parsed.Read(reader));
        }

        return jobs;
    }
}
