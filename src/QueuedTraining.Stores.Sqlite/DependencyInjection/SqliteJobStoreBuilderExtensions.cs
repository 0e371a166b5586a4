using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Storage;
using QueuedTraining.Stores.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the embedded SQLite store to the queue engine.</summary>
public static class SqliteJobStoreBuilderExtensions
{
    /// <summary>Keeps the queue's jobs in one SQLite file; its options are validated at start-up.</summary>
    public static QueuedTrainingBuilder AddSqliteJobStore(this QueuedTrainingBuilder builder, Action<SqliteJobStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SqliteJobStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteJobStoreOptions>, SqliteJobStoreOptionsValidator>());
        builder.Services.TryAddSingleton<SqliteJobStore>();
        builder.Services.TryAddSingleton<IJobStore>(sp => sp.GetRequiredService<SqliteJobStore>());
        return builder;
    }
}
