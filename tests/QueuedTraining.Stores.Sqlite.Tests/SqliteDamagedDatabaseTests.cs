using Microsoft.Data.Sqlite;
using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>A database the store must not run on stops it at open, with a message naming the file and what is wrong.</summary>
public sealed class SqliteDamagedDatabaseTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public void Open_PathIsADirectory_ThrowsJobStoreDamaged()
    {
        Directory.CreateDirectory(_database.Path);

        var error = Assert.Throws<JobStoreDamagedException>(() => new SqliteJobStore(_database.StoreOptions));

        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileThatIsNotSqlite_ThrowsJobStoreDamaged()
    {
        File.WriteAllBytes(_database.Path, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());

        var error = Assert.Throws<JobStoreDamagedException>(() => new SqliteJobStore(_database.StoreOptions));

        Assert.Contains(_database.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFileBesideAWriteAheadLogWithContent_ThrowsJobStoreDamagedInsteadOfStartingEmpty()
    {
        File.WriteAllBytes(_database.Path, []);
        File.WriteAllBytes(_database.Path + "-wal", new byte[4096]);

        var error = Assert.Throws<JobStoreDamagedException>(() => new SqliteJobStore(_database.StoreOptions));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DatabaseCutInHalf_ThrowsJobStoreDamaged()
    {
        await FillAsync(300);
        var bytes = await File.ReadAllBytesAsync(_database.Path);
        await File.WriteAllBytesAsync(_database.Path, bytes[..(bytes.Length / 2)]);

        Assert.Throws<JobStoreDamagedException>(() => new SqliteJobStore(_database.StoreOptions));
    }

    [Fact]
    public async Task Open_DamagedPages_ThrowsJobStoreDamagedNamingTheCheck()
    {
        await FillAsync(300);
        var bytes = await File.ReadAllBytesAsync(_database.Path);
        Assert.True(bytes.Length > 16 * 4096, $"the database should span many pages, not {bytes.Length} bytes");
        for (var page = 2; page < bytes.Length / 4096; page += 3)
        {
            // Keep each page's header byte, scramble its cell pointers and content.
            Array.Fill(bytes, (byte)0x5A, (page * 4096) + 8, 1000);
        }

        await File.WriteAllBytesAsync(_database.Path, bytes);

        var error = Assert.Throws<JobStoreDamagedException>(() => new SqliteJobStore(_database.StoreOptions));
        Assert.Contains(_database.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupAsync_WhileTheQueueRuns_RestoresToTheJobsAtTheBackup()
    {
        var backup = Path.Combine(Path.GetDirectoryName(_database.Path)!, "backup.db");
        await using (var store = new SqliteJobStore(_database.StoreOptions))
        {
            await store.AddAsync(TestJobs.Job("before-1"));
            await store.AddAsync(TestJobs.Job("before-2"));
            await store.BackupAsync(backup);
            await store.AddAsync(TestJobs.Job("after"));
        }

        SqliteConnection.ClearAllPools();
        await using var restored = new SqliteJobStore(Microsoft.Extensions.Options.Options.Create(new SqliteJobStoreOptions { Path = backup }));

        Assert.NotNull(await restored.GetAsync("before-1"));
        Assert.NotNull(await restored.GetAsync("before-2"));
        Assert.Null(await restored.GetAsync("after"));
        Assert.Equal(["before-1", "before-2"], (await restored.GetWaitingAsync(TestJobs.P5, 10)).Select(j => j.Name).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _database.Dispose();

    private async Task FillAsync(int jobs)
    {
        await using (var store = new SqliteJobStore(_database.StoreOptions))
        {
            for (var i = 0; i < jobs; i++)
            {
                await store.AddAsync(TestJobs.Job($"job-{i:D4}", priority: i % 7));
            }
        }

        // Closing the last connection checkpoints the log into the file and removes it.
        SqliteConnection.ClearAllPools();
    }
}
