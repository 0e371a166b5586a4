using System.Collections.Concurrent;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// Open read-only sessions lent to one read at a time, so a read reuses a connection and its prepared
/// statements. In WAL mode an idle session holds no snapshot: each read sees the latest commit.
/// </summary>
internal sealed class SqliteReadSessions : IDisposable
{
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private readonly int _maxIdle;
    private int _idleCount;
    private bool _disposed;

    public SqliteReadSessions(string connectionString, int maxIdle)
    {
        _connectionString = connectionString;
        _maxIdle = maxIdle;
    }

    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, session);
        }

        return new Lease(this, new SqliteSession(_connectionString));
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    private void Return(SqliteSession session)
    {
        session.Transaction = null;
        if (!_disposed && Interlocked.Increment(ref _idleCount) <= _maxIdle)
        {
            _idle.Add(session);
            if (_disposed)
            {
                // Disposed while this one was on its way back: close what is idle now.
                Dispose();
            }

            return;
        }

        Interlocked.Decrement(ref _idleCount);
        session.Dispose();
    }

    /// <summary>A session on loan; disposing it gives the session back.</summary>
    public readonly struct Lease(SqliteReadSessions owner, SqliteSession session) : IDisposable
    {
        public SqliteSession Session { get; } = session;

        public void Dispose() => owner.Return(Session);
    }
}
