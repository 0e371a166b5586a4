using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>Where the SQLite job store keeps its file.</summary>
public sealed class SqliteJobStoreOptions
{
    /// <summary>The database file; created with its folder when missing.</summary>
    [Required]
    public string Path { get; set; } = "queuedtraining.db";

    /// <summary>
    /// Runs SQLite's <c>quick_check</c> when the store opens, so damaged pages stop the service at start rather than
    /// answering errors on the reads that touch them. It reads the whole file: on a very large database, weigh the
    /// start-up time.
    /// </summary>
    public bool CheckIntegrityOnOpen { get; set; } = true;
}

/// <summary>Validates <see cref="SqliteJobStoreOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class SqliteJobStoreOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SqliteJobStoreOptions>;
