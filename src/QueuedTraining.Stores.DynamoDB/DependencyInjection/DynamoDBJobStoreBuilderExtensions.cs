using Microsoft.Extensions.DependencyInjection.Extensions;
using QueuedTraining.Core.Storage;
using QueuedTraining.Stores.DynamoDB;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the DynamoDB store, which several replicas of the service can share, to the queue engine.</summary>
public static class DynamoDBJobStoreBuilderExtensions
{
    /// <summary>
    /// Keeps the queue's jobs in one DynamoDB table. The options are validated here, when the service is being put
    /// together. With <paramref name="createTable"/> the table is created on first use when missing; otherwise it must
    /// exist (see the store's documentation for the table's shape).
    /// </summary>
    public static QueuedTrainingBuilder AddDynamoDBJobStore(this QueuedTrainingBuilder builder, Action<DynamoDBJobStoreOptions> configure, bool createTable = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new DynamoDBJobStoreOptions();
        configure(options);
        options.Validate();
        builder.Services.TryAddSingleton<IJobStore>(sp =>
        {
            var store = new DynamoDBJobStore(options, sp.GetRequiredService<TimeProvider>());
            if (createTable)
            {
                using var client = DynamoDBClientFactory.Create(options);
                new DynamoDBTableInitializer(client, options.TableName).EnsureTableAsync().GetAwaiter().GetResult();
            }

            return store;
        });
        return builder;
    }
}
