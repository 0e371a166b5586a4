using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// Runs every write on one connection and groups the writes that arrive together into one fsynced
/// commit. One failing write never undoes its neighbours (see <see cref="Commit"/>), and no caller hears
/// "done" before the commit that holds its write is on disk (or, for a deferred write, in the WAL file).
/// A write that finds no commit running and none queued is committed on the caller's thread: handing a
/// lone write to the writer thread and its answer back to the thread pool cost more CPU than the write
/// (the scheduler's writes mostly come one at a time). Writes that arrive together go to the writer thread.
/// A batch of only <see cref="WriteDurability.Deferred"/> writes commits without an fsync (<c>synchronous=NORMAL</c>);
/// the WAL is append-only, so the next synced commit makes them durable too, and a crash can only lose the
/// newest deferred writes, never one that was synced.
/// </summary>
internal sealed class SqliteWriteBatcher : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly SqliteSession _session;
    // Not SingleReader: that kind of channel cannot count what it holds, and TryCommitInline asks.
    private readonly Channel<IPendingWrite> _writes = Channel.CreateUnbounded<IPendingWrite>();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Held by whoever commits: the writer thread or a caller committing its lone write inline.
    private readonly Lock _committing = new();
    private readonly List<IPendingWrite> _inlineBatch = new(1);
    private volatile bool _closed;

    // The connection's synchronous setting, changed only between transactions by whoever commits.
    private bool _syncing = true;

    public SqliteWriteBatcher(SqliteSession session)
    {
        _session = session;

        // FULL makes each commit durable on its own; only this connection commits, so only it needs the setting.
        _session.Command("PRAGMA synchronous = FULL").ExecuteNonQuery();

        // Its own thread, not the thread pool's: a commit blocks in fsync for a millisecond or more, which should
        // not hold one of the few pool threads a small machine has while requests wait for it.
        new Thread(Run) { IsBackground = true, Name = "QueuedTraining SQLite writer" }.Start();
    }

    /// <summary>
    /// Queues <paramref name="write"/>; it runs on the writer's session, inside the batch's transaction. Once the batch
    /// is committed, <paramref name="committed"/> gets the write's result, in commit order and before the returned task
    /// completes, even for a caller that stopped waiting.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteSession, T> write, WriteDurability durability, CancellationToken cancellationToken, Action<T>? committed = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(write, durability == WriteDurability.Immediate, committed);
        if (!TryCommitInline(pending))
        {
            ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(pending), this);
        }

        // Cancelling the wait must not cancel the write: once queued it either commits or fails as a whole.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _writes.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);

        // No new inline commit or lent read can start once closed; wait out one still using the session.
        _committing.Enter();
        _committing.Exit();
    }

    private void Run()
    {
        try
        {
            var batch = new List<IPendingWrite>(MaxBatch);

            // Blocking is this thread's job; when writes are waiting, WaitToReadAsync completes synchronously.
            while (_writes.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                // Drain once the lock is held: writes that queued while a read or an inline commit held it join this batch.
                lock (_committing)
                {
                    batch.Clear();
                    while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
                    {
                        batch.Add(write);
                    }

                    if (batch.Count > 0)
                    {
                        Commit(batch);
                    }
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Lends the writer's session to a read while nothing is being written or waits to be: its page cache
    /// survives its own commits, where another connection re-reads pages after every commit. The caller
    /// must give it back with <see cref="ReturnIdleSession"/> on the same thread.
    /// </summary>
    public bool TryBorrowIdleSession(out SqliteSession session)
    {
        session = _session;
        return TryEnterIdle();
    }

    public void ReturnIdleSession()
    {
        _session.Transaction = null;
        _committing.Exit();
    }

    /// <summary>Commits <paramref name="pending"/> now, on this thread, if nothing else is being written or waits to be.</summary>
    private bool TryCommitInline(IPendingWrite pending)
    {
        if (!TryEnterIdle())
        {
            return false;
        }

        try
        {
            _inlineBatch.Add(pending);
            Commit(_inlineBatch);
            return true;
        }
        finally
        {
            _inlineBatch.Clear();
            _committing.Exit();
        }
    }

    /// <summary>
    /// Takes the commit lock if nothing is being written or waits to be. Never on a thread that already holds it
    /// (the lock is re-entrant): that thread is inside a commit or a read, and must not start the other there.
    /// </summary>
    private bool TryEnterIdle() =>
        !_closed && _writes.Reader.Count == 0 && !_committing.IsHeldByCurrentThread && _committing.TryEnter();

    private void Commit(List<IPendingWrite> batch)
    {
        // Writes check their own conditions and almost never throw, so the batch first runs bare. Only if one
        // throws is the transaction rolled back and the batch run again with a savepoint around each write
        // (two more statements a write), so that the failure is that write's alone.
        try
        {
            if (!TryRun(batch, isolate: false))
            {
                TryRun(batch, isolate: true);
            }
        }
        catch (Exception ex)
        {
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    /// <summary>Runs the batch in one transaction and commits it; false (rolled back) when a bare write threw.</summary>
    private bool TryRun(List<IPendingWrite> batch, bool isolate)
    {
        var sync = batch.Exists(write => write.MustSync);
        if (sync != _syncing)
        {
            _session.Command(sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL").ExecuteNonQuery();
            _syncing = sync;
        }

        // Transaction statements go through the session too, so they stay prepared like every other statement
        // (a SqliteTransaction prepares BEGIN and COMMIT anew each time, and a commit is this class's hot path).
        _session.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        var committed = false;
        try
        {
            foreach (var write in batch)
            {
                if (!write.Run(_session, isolate))
                {
                    return false;
                }
            }

            _session.Command("COMMIT").ExecuteNonQuery();
            committed = true;
            return true;
        }
        finally
        {
            // SQLite may already have rolled back (a failed COMMIT can end the transaction itself).
            if (!committed && SQLitePCL.raw.sqlite3_get_autocommit(_session.Connection.Handle) == 0)
            {
                _session.Command("ROLLBACK").ExecuteNonQuery();
            }
        }
    }

    private interface IPendingWrite
    {
        /// <summary>Whether the write's commit must reach the disk before the write completes.</summary>
        bool MustSync { get; }

        /// <summary>Runs the write; false when it threw and was not isolated (the caller rolls back).</summary>
        bool Run(SqliteSession session, bool isolate);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<SqliteSession, T> write, bool mustSync, Action<T>? committed) : IPendingWrite
    {
        private T? _result;
        private Exception? _error;

        public bool MustSync => mustSync;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Run(SqliteSession session, bool isolate)
        {
            _error = null;
            if (isolate)
            {
                session.Command("SAVEPOINT w").ExecuteNonQuery();
            }

            try
            {
                _result = write(session);
                if (isolate)
                {
                    session.Command("RELEASE w").ExecuteNonQuery();
                }

                return true;
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException or System.Text.Json.JsonException)
            {
                _error = ex;
                if (!isolate)
                {
                    return false;
                }

                session.Command("ROLLBACK TO w").ExecuteNonQuery();
                return true;
            }
        }

        public void Complete()
        {
            if (_error is null)
            {
                try
                {
                    committed?.Invoke(_result!);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The write is committed whatever an observer of it does, and its writer must hear so; an observer
                    // answers for its own state (the store's views forget themselves when they fail).
                }

                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
