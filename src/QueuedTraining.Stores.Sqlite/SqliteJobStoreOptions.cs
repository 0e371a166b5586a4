using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>Where the SQLite job store keeps its file.</summary>
public sealed class SqliteJobStoreOptions
{
    /// <summary>The database file; created with its folder when missing.</summary>
    [Required]
    public string Path { get; set; } = "queuedtraining.db";
}

/// <summary>Validates <see cref="SqliteJobStoreOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class SqliteJobStoreOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SqliteJobStoreOptions>;
