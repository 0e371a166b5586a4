using Microsoft.Data.Sqlite;
using QueuedTraining.Core.Storage;
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
    public async Task WriteAsync_CommittedWrites_AreObservedInCommitOrderAndAThrowingObserverFailsNoWrite()
    {
        var observed = new List<int>();
        var writes = Enumerable.Range(0, 40).Select(i => _batcher.WriteAsync(
            s => Insert(s, i + 200),
            WriteDurability.Immediate,
            CancellationToken.None,
            _ =>
            {
                lock (observed)
                {
                    observed.Add(i);
                }

                if (i % 10 == 0)
                {
                    throw new InvalidOperationException("observer failed");
                }
            })).ToList();

        await Task.WhenAll(writes);

        Assert.Equal(Enumerable.Range(0, 40), observed);
        Assert.Equal(40L, (long)_session.Command("SELECT COUNT(*) FROM t WHERE v >= 200").ExecuteScalar()!);
    }

    [Fact]
    public async Task WriteAsync_OneWriteOfABatchFails_OnlyThatWriteIsUndone()
    {
        var writes = Enumerable.Range(0, 50).Select(i => _batcher.WriteAsync(s => Insert(s, i == 25 ? 1 : i + 100), WriteDurability.Immediate, CancellationToken.None)).ToList();
        writes.Insert(0, _batcher.WriteAsync(s => Insert(s, 1), WriteDurability.Immediate, CancellationToken.None));

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
        Assert.Equal(50L, (long)(await _batcher.WriteAsync(s => s.Command("SELECT COUNT(*) FROM t").ExecuteScalar(), WriteDurability.Immediate, CancellationToken.None))!);
    }

    [Fact]
    public async Task WriteAsync_AfterAFailedBatch_TheSessionsPreparedStatementsStillWork()
    {
        await _batcher.WriteAsync(s => Insert(s, 7), WriteDurability.Immediate, CancellationToken.None);
        await Assert.ThrowsAsync<SqliteException>(() => _batcher.WriteAsync(s => Insert(s, 7), WriteDurability.Immediate, CancellationToken.None));

        Assert.Equal(1, await _batcher.WriteAsync(s => Insert(s, 8), WriteDurability.Immediate, CancellationToken.None));
        Assert.Equal(2L, (long)(await _batcher.WriteAsync(s => s.Command("SELECT COUNT(*) FROM t").ExecuteScalar(), WriteDurability.Immediate, CancellationToken.None))!);
    }

    [Fact]
    public void WriteAsync_NothingElseBeingWritten_CommitsOnTheCallersThreadBeforeReturning()
    {
        var write = _batcher.WriteAsync(s => Insert(s, 1), WriteDurability.Immediate, CancellationToken.None);

        Assert.True(write.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WriteAsync_ManyCallersAtOnce_EveryWriteCommitsOnce()
    {
        var writes = Enumerable.Range(0, 2000)
            .Select(i => Task.Run(() => _batcher.WriteAsync(s => Insert(s, i), WriteDurability.Immediate, CancellationToken.None)))
            .ToList();

        Assert.All(await Task.WhenAll(writes), inserted => Assert.Equal(1, inserted));
        Assert.Equal(2000L, (long)(await _batcher.WriteAsync(s => s.Command("SELECT COUNT(*) FROM t").ExecuteScalar(), WriteDurability.Immediate, CancellationToken.None))!);
    }

    [Fact]
    public async Task TryBorrowIdleSession_WhileLent_WritesWaitAndCommitAfterItsReturn()
    {
        Assert.True(_batcher.TryBorrowIdleSession(out var session));
        Task<int> write;
        try
        {
            Assert.Same(_session, session);
            write = Task.Run(() => _batcher.WriteAsync(s => Insert(s, 5), WriteDurability.Immediate, CancellationToken.None));
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
        var borrowed = await _batcher.WriteAsync(s => _batcher.TryBorrowIdleSession(out _), WriteDurability.Immediate, CancellationToken.None);

        Assert.False(borrowed);
    }

    [Fact]
    public async Task WriteAsync_DeferredAlone_CommitsWithoutSyncAndTheNextImmediateWriteSyncsAgain()
    {
        var deferred = await _batcher.WriteAsync(Synchronous, WriteDurability.Deferred, CancellationToken.None);
        var immediate = await _batcher.WriteAsync(Synchronous, WriteDurability.Immediate, CancellationToken.None);

        Assert.Equal((Normal, Full), (deferred, immediate));
    }

    [Fact]
    public async Task WriteAsync_DeferredAndImmediateInOneBatch_TheBatchSyncs()
    {
        Assert.True(_batcher.TryBorrowIdleSession(out _));
        Task<long> deferred;
        Task<long> immediate;
        try
        {
            // This thread holds the connection, so both queue, the deferred one first, and commit as one batch.
            deferred = _batcher.WriteAsync(Synchronous, WriteDurability.Deferred, CancellationToken.None);
            immediate = _batcher.WriteAsync(Synchronous, WriteDurability.Immediate, CancellationToken.None);
            Assert.False(deferred.IsCompleted);
        }
        finally
        {
            _batcher.ReturnIdleSession();
        }

        Assert.Equal((Full, Full), (await deferred, await immediate));
    }

    private const long Normal = 1;
    private const long Full = 2;

    /// <summary>A write that reports the <c>synchronous</c> setting its commit runs under.</summary>
    private static long Synchronous(SqliteSession session)
    {
        Insert(session, Random.Shared.Next());
        return (long)session.Command("PRAGMA synchronous").ExecuteScalar()!;
    }

    private static int Insert(SqliteSession session, int value) =>
        session.Command("INSERT INTO t (v) VALUES ($p0)", value).ExecuteNonQuery();
}
