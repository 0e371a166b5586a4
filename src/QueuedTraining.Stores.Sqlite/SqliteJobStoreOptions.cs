using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>Where the SQLite job store keeps its file.</summary>
public sealed class SqliteJobStoreOptions
{
    /// <summary>The database file; created with its folder when missing.</summary>
    [Required]
    public string Path { get; set; } = "queuedtraining.db";
}
