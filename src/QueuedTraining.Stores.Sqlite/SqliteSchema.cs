namespace QueuedTraining.Stores.Sqlite;

/// <summary>The tables and indexes. The job itself is one JSON column; the other columns exist to be indexed.</summary>
internal static class SqliteSchema
{
    public const string Create = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS jobs (
            name            TEXT PRIMARY KEY,
            owner           TEXT NOT NULL,
            state           TEXT NOT NULL,
            instance_type   TEXT NOT NULL,
            queue_key       TEXT NOT NULL,
            waiting         INTEGER NOT NULL,
            holds_capacity  INTEGER NOT NULL,
            current_attempt TEXT,
            idempotency_key TEXT,
            changed_key     TEXT,
            version         INTEGER NOT NULL,
            body            TEXT NOT NULL
        );
        -- The head of each pool's queue is a range read of this partial index.
        CREATE INDEX IF NOT EXISTS jobs_waiting ON jobs (instance_type, queue_key) WHERE waiting = 1;
        CREATE INDEX IF NOT EXISTS jobs_holding ON jobs (instance_type) WHERE holds_capacity = 1;
        CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (queue_key);
        CREATE INDEX IF NOT EXISTS jobs_state_queue ON jobs (state, queue_key);
        -- The change log (IJobChangeLog): jobs in the order they last changed, for the live event stream.
        CREATE INDEX IF NOT EXISTS jobs_changed ON jobs (changed_key);
        CREATE INDEX IF NOT EXISTS jobs_attempt ON jobs (current_attempt) WHERE current_attempt IS NOT NULL;
        -- Unique: two submissions racing with one owner's key must not both be stored (see UniqueIdempotencyKeys).
        CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency_unique ON jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
        -- Waiting jobs per pool and priority (the priority prefix of queue_key), kept by triggers in the
        -- writing transaction, so a queue position sums these counts for higher priorities and counts rows
        -- within the job's own priority only. substr(queue_key, 1, 10): QueueOrderKey.PriorityPrefixLength.
        CREATE TABLE IF NOT EXISTS waiting_counts (
            instance_type TEXT NOT NULL,
            priority_key  TEXT NOT NULL,
            waiting       INTEGER NOT NULL,
            PRIMARY KEY (instance_type, priority_key)
        ) WITHOUT ROWID;
        CREATE TRIGGER IF NOT EXISTS jobs_waiting_added AFTER INSERT ON jobs WHEN NEW.waiting = 1 BEGIN
            INSERT INTO waiting_counts (instance_type, priority_key, waiting) VALUES (NEW.instance_type, substr(NEW.queue_key, 1, 10), 1)
            ON CONFLICT (instance_type, priority_key) DO UPDATE SET waiting = waiting + 1;
        END;
        CREATE TRIGGER IF NOT EXISTS jobs_waiting_removed AFTER DELETE ON jobs WHEN OLD.waiting = 1 BEGIN
            UPDATE waiting_counts SET waiting = waiting - 1 WHERE instance_type = OLD.instance_type AND priority_key = substr(OLD.queue_key, 1, 10);
        END;
        CREATE TRIGGER IF NOT EXISTS jobs_waiting_left AFTER UPDATE OF waiting, instance_type, queue_key ON jobs WHEN OLD.waiting = 1 BEGIN
            UPDATE waiting_counts SET waiting = waiting - 1 WHERE instance_type = OLD.instance_type AND priority_key = substr(OLD.queue_key, 1, 10);
        END;
        CREATE TRIGGER IF NOT EXISTS jobs_waiting_joined AFTER UPDATE OF waiting, instance_type, queue_key ON jobs WHEN NEW.waiting = 1 BEGIN
            INSERT INTO waiting_counts (instance_type, priority_key, waiting) VALUES (NEW.instance_type, substr(NEW.queue_key, 1, 10), 1)
            ON CONFLICT (instance_type, priority_key) DO UPDATE SET waiting = waiting + 1;
        END;
        CREATE TABLE IF NOT EXISTS scheduler_lease (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            holder     TEXT NOT NULL,
            token      INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """;

    /// <summary>
    /// Run before <see cref="Create"/> on a database made while idempotency keys were checked outside the write: such a
    /// database may hold one owner's key on several jobs. The oldest keeps it; the later ones lose it from the indexed
    /// column (their stored JSON keeps it), so the unique index can be built. A no-op once that index exists.
    /// </summary>
    /// <summary>
    /// Gives finished jobs of a database written before finished keys existed their end-ordered key (see
    /// <c>QueueOrderKey.Finished</c>), from the time they last changed; a no-op once every finished key starts with '~|'.
    /// </summary>
    public const string FinishedQueueKeys = """
        UPDATE jobs SET queue_key = '~|' || printf('%015d', 999999999999999 -
                MAX(0, CAST(ROUND((julianday(json_extract(body, '$.UpdatedAt')) - 2440587.5) * 86400000) AS INTEGER))) || '|' || name
        WHERE state IN ('Completed', 'Failed', 'Stopped', 'Cancelled') AND substr(queue_key, 1, 2) <> '~|';
        """;

    /// <summary>
    /// Adds <c>changed_key</c> to a database made before the change log existed; run only when the column is missing.
    /// <see cref="BackfillChangedKeys"/> then fills it.
    /// </summary>
    public const string AddChangedKey = "ALTER TABLE jobs ADD COLUMN changed_key TEXT;";

    /// <summary>
    /// Gives jobs written before the change log existed their key (<c>JobChangeKey</c>) from the time they last changed;
    /// a no-op once every row has one.
    /// </summary>
    public const string BackfillChangedKeys = """
        UPDATE jobs SET changed_key = printf('%015d',
                MAX(0, CAST(ROUND((julianday(json_extract(body, '$.UpdatedAt')) - 2440587.5) * 86400000) AS INTEGER))) || '|' || name
        WHERE changed_key IS NULL;
        """;

    public const string UniqueIdempotencyKeys = """
        UPDATE jobs SET idempotency_key = NULL
        WHERE idempotency_key IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'jobs_idempotency_unique')
          AND rowid NOT IN (SELECT MIN(rowid) FROM jobs WHERE idempotency_key IS NOT NULL GROUP BY owner, idempotency_key);
        DROP INDEX IF EXISTS jobs_idempotency;
        """;

    /// <summary>
    /// Fills <c>waiting_counts</c> for a database made before it existed; a no-op once it has rows (the
    /// triggers keep it from then on). Runs in one transaction with the writer, so no write slips between.
    /// </summary>
    public const string BackfillWaitingCounts = """
        INSERT INTO waiting_counts (instance_type, priority_key, waiting)
        SELECT instance_type, substr(queue_key, 1, 10), COUNT(*) FROM jobs
        WHERE waiting = 1 AND NOT EXISTS (SELECT 1 FROM waiting_counts)
        GROUP BY instance_type, substr(queue_key, 1, 10);
        """;
}
