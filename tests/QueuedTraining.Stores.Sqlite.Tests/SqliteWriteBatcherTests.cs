using Microsoft.Data.Sqlite;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

#pragma warning disable CA1001 // xunit disposes it through IAsyncLifetime.
public sealed class SqliteWriteBatcherTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("qt-batcher-").FullName, "b.db");
    private SqliteConnection _connection = null!;
    private SqliteWriteBatcher _batcher = null!;

    public Task InitializeAsync()
    {
        _connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (v INTEGER PRIMARY KEY)";
        create.ExecuteNonQuery();
        _batcher = new SqliteWriteBatcher(_connection);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _batcher.DisposeAsync();
        await _connection.DisposeAsync();
        File.Delete(_path);
    }

    [Fact]
    public async Task WriteAsync_OneWriteOfABatchFails_OnlyThatWriteIsUndone()
    {
        var writes = Enumerable.Range(0, 50).Select(i => _batcher.WriteAsync((c, t) => Insert(c, t, i == 25 ? 1 : i + 100), CancellationToken.None)).ToList();
        writes.Insert(0, _batcher.WriteAsync((c, t) => Insert(c, t, 1), CancellationToken.None));

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
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(50L, (long)(await _batcher.WriteAsync((c, t) => { count.Transaction = t; return count.ExecuteScalar(); }, CancellationToken.None))!);
    }

    private static int Insert(SqliteConnection connection, SqliteTransaction transaction, int value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO t (v) VALUES ($v)";
        command.Parameters.AddWithValue("$v", value);
        return command.ExecuteNonQuery();
    }
}
