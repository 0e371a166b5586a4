using Microsoft.Data.Sqlite;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

#pragma warning disable CA1001 // xunit disposes it through IAsyncLifetime.
public sealed class SqliteWriteBatcherTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("qt-batcher-").FullName, "b.db");
    private SqliteSession _session = null!;
    private SqliteWriteBatcher _batcher = null!;

    public Task InitializeAsync()
    {
        _session = new SqliteSession($"Data Source={_path};Pooling=False");
        _session.Command("CREATE TABLE t (v INTEGER PRIMARY KEY)").ExecuteNonQuery();
        _batcher = new SqliteWriteBatcher(_session);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _batcher.DisposeAsync();
        _session.Dispose();
        File.Delete(_path);
    }

    [Fact]
    public async Task WriteAsync_OneWriteOfABatchFails_OnlyThatWriteIsUndone()
    {
        var writes = Enumerable.Range(0, 50).Select(i => _batcher.WriteAsync(s => Insert(s, i == 25 ? 1 : i + 100), CancellationToken.None)).ToList();
        writes.Insert(0, _batcher.WriteAsync(s => Insert(s, 1), CancellationToken.None));

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return true;
            }
            catch (SqliteException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(ok => !ok));
        Assert.Equal(50L, (long)(await _batcher.WriteAsync(s => s.Command("SELECT COUNT(*) FROM t").ExecuteScalar(), CancellationToken.None))!);
    }

    [Fact]
    public async Task WriteAsync_AfterAFailedBatch_TheSessionsPreparedStatementsStillWork()
    {
        await _batcher.WriteAsync(s => Insert(s, 7), CancellationToken.None);
        await Assert.ThrowsAsync<SqliteException>(() => _batcher.WriteAsync(s => Insert(s, 7), CancellationToken.None));

        Assert.Equal(1, await _batcher.WriteAsync(s => Insert(s, 8), CancellationToken.None));
        Assert.Equal(2L, (long)(await _batcher.WriteAsync(s => s.Command("SELECT COUNT(*) FROM t").ExecuteScalar(), CancellationToken.None))!);
    }

    [Fact]
    public void WriteAsync_NothingElseBeingWritten_CommitsOnTheCallersThreadBeforeReturning()
    {
        var write = _batcher.WriteAsync(s => Insert(s, 1), CancellationToken.None);

        Assert.True(write.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WriteAsync_ManyCallersAtOnce_EveryWriteCommitsOnce()
    {
        var writes = Enumerable.Range(0, 2000)
            .Select(i => Task.Run(() => _batcher.WriteAsync(s => Insert(s, i), CancellationToken.None)))
            .ToList();

        Assert.All(await Task.WhenAll(writes), inserted => Assert.Equal(1, inserted));
        Assert.Equal(2000L, (long)(await _batcher.WriteAsync(s => s.Command("SELECT COUNT(*) FROM t").ExecuteScalar(), CancellationToken.None))!);
    }

    [Fact]
    public async Task TryBorrowIdleSession_WhileLent_WritesWaitAndCommitAfterItsReturn()
    {
        Assert.True(_batcher.TryBorrowIdleSession(out var session));
        Task<int> write;
        try
        {
            Assert.Same(_session, session);
            write = Task.Run(() => _batcher.WriteAsync(s => Insert(s, 5), CancellationToken.None));
            Thread.Sleep(300);
            Assert.False(write.IsCompleted);
        }
        finally
        {
            _batcher.ReturnIdleSession();
        }

        Assert.Equal(1, await write);
    }

    [Fact]
    public async Task TryBorrowIdleSession_FromInsideAWrite_IsRefused()
    {
        var borrowed = await _batcher.WriteAsync(s => _batcher.TryBorrowIdleSession(out _), CancellationToken.None);

        Assert.False(borrowed);
    }

    private static int Insert(SqliteSession session, int value) =>
        session.Command("INSERT INTO t (v) VALUES ($p0)", value).ExecuteNonQuery();
}
