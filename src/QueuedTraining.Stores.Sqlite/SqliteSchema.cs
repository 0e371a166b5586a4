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
            version         INTEGER NOT NULL,
            body            TEXT NOT NULL
        );
        -- The head of each pool's queue is a range read of this partial index.
        CREATE INDEX IF NOT EXISTS jobs_waiting ON jobs (instance_type, queue_key) WHERE waiting = 1;
        CREATE INDEX IF NOT EXISTS jobs_holding ON jobs (instance_type) WHERE holds_capacity = 1;
        CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (queue_key);
        CREATE INDEX IF NOT EXISTS jobs_state_queue ON jobs (state, queue_key);
        CREATE INDEX IF NOT EXISTS jobs_attempt ON jobs (current_attempt) WHERE current_attempt IS NOT NULL;
        CREATE INDEX IF NOT EXISTS jobs_idempotency ON jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE TABLE IF NOT EXISTS scheduler_lease (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            holder     TEXT NOT NULL,
            token      INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """;
}
