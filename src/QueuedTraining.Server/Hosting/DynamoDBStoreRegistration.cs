using QueuedTraining.Core;
using QueuedTraining.Core.Storage;
using QueuedTraining.Stores.DynamoDB;

namespace QueuedTraining.Server.Hosting;

/// <summary>
/// Selects the DynamoDB store: <c>QueuedTraining:Store=DynamoDB</c> with <c>QueuedTraining:DynamoDB:TableName</c>,
/// <c>:Region</c> and optionally <c>:ServiceUrl</c>. With <c>:CreateTable=true</c> the table is created at start-up
/// when missing; otherwise it must exist (create it with the initializer or the documented command).
/// </summary>
internal static class DynamoDBStoreRegistration
{
    public const string SectionName = QueueOptions.SectionName + ":DynamoDB";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var options = section.Get<DynamoDBJobStoreOptions>() ?? new DynamoDBJobStoreOptions();
        options.Validate();
        var createTable = section.GetValue<bool>("CreateTable");
        services.AddSingleton<IJobStore>(sp =>
        {
            var store = new DynamoDBJobStore(options, sp.GetRequiredService<TimeProvider>());
            if (createTable)
            {
                using var client = DynamoDBClientFactory.Create(options);
                new DynamoDBTableInitializer(client, options.TableName).EnsureTableAsync().GetAwaiter().GetResult();
            }

            return store;
        });
    }
}
