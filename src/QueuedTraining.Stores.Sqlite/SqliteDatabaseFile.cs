using System.Globalization;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// Checks made on the database file before SQLite opens it: states SQLite would open without complaint, or fail on
/// later, that must instead stop the service with a message an operator can act on.
/// </summary>
internal static class SqliteDatabaseFile
{
    public static void EnsureUsable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new JobStoreDamagedException($"The job database path {path} is a directory, not a database file.");
        }

        // A main file cut to nothing beside a write-ahead log with content: SQLite would start on an empty queue, and
        // every job that was in the file would be lost without a word.
        var wal = new FileInfo(path + "-wal");
        if (File.Exists(path) && new FileInfo(path).Length == 0 && wal.Exists && wal.Length > 0)
        {
            throw new JobStoreDamagedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The job database {path} is empty while its write-ahead log {wal.FullName} holds {wal.Length} bytes: the file was truncated and the jobs it held are missing. Restore it from a backup, or move both files away to start an empty queue."));
        }
    }
}
