using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Storage;
using QueuedTraining.Server.Api;
using QueuedTraining.Server.Backends;
using QueuedTraining.Server.Hosting;
using QueuedTraining.Server.SageMakerApi;
using QueuedTraining.Server.Security;
using QueuedTraining.Stores.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the queue service: options, store, backend, scheduler, API and authentication.</summary>
public static class QueuedTrainingServerServiceCollectionExtensions
{
    /// <summary>Adds everything the queue service needs, chosen by <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddQueuedTrainingServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<QueueOptions>()
            .Bind(configuration.GetSection(QueueOptions.SectionName))
            .ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<ServerOptions>()
            .Bind(configuration.GetSection(QueueOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Store is StoreKinds.Sqlite or StoreKinds.DynamoDB, "QueuedTraining:Store must be Sqlite or DynamoDB.")
            .Validate(o => o.Backend is BackendKinds.Simulated or BackendKinds.SageMaker, "QueuedTraining:Backend must be Simulated or SageMaker.");
        services.AddOptionsWithValidateOnStart<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => o.Mode is AuthModes.None || (o.Mode is AuthModes.ApiKey && o.ApiKeys.Count > 0), "QueuedTraining:Auth:Mode must be None, or ApiKey with at least one key in QueuedTraining:Auth:ApiKeys.");

        var server = configuration.GetSection(QueueOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        AddStore(services, configuration, server.Store);
        AddBackend(services, configuration, server.Backend);

        services.TryAddSingleton<SchedulerSignal>();
        services.TryAddSingleton<ISchedulingPolicy, PriorityPreemptionPolicy>();
        services.TryAddSingleton<JobCommands>();
        services.TryAddSingleton<QueueScheduler>();
        services.TryAddSingleton<StateChangeProcessor>();
        services.TryAddSingleton<AttemptReconciler>();
        services.AddHostedService<SchedulerProcess>();

        services.TryAddSingleton<JsonBodyReader>();
        services.TryAddSingleton<JobResourceMapper>();
        services.AddExceptionHandler<QueueExceptionHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusProblemCodes.Apply);
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, QueuedTraining.Contracts.Queue.QueueJsonContext.Default));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddSageMakerCompatibleApi(configuration);
        return services;
    }

    private static void AddStore(IServiceCollection services, IConfiguration configuration, string store)
    {
        switch (store)
        {
            case StoreKinds.Sqlite:
                services.AddOptionsWithValidateOnStart<SqliteJobStoreOptions>()
                    .Bind(configuration.GetSection($"{QueueOptions.SectionName}:Sqlite"))
                    .ValidateDataAnnotations();
                services.TryAddSingleton<SqliteJobStore>();
                services.TryAddSingleton<IJobStore>(sp => sp.GetRequiredService<SqliteJobStore>());
                break;
            case StoreKinds.DynamoDB:
                DynamoDBStoreRegistration.Add(services, configuration);
                break;
        }
    }

    private static void AddBackend(IServiceCollection services, IConfiguration configuration, string backend)
    {
        switch (backend)
        {
            case BackendKinds.Simulated:
                services.AddOptionsWithValidateOnStart<SimulatedSageMakerOptions>()
                    .Bind(configuration.GetSection(SimulatedSageMakerOptions.SectionName))
                    .ValidateDataAnnotations();
                services.TryAddSingleton(sp => new SimulatedSageMaker(sp.GetRequiredService<IOptions<SimulatedSageMakerOptions>>(), sp.GetRequiredService<TimeProvider>()));
                services.TryAddSingleton<ISageMakerTrainingClient>(sp => sp.GetRequiredService<SimulatedSageMaker>());
                services.AddHostedService<SimulatedEventPump>();
                break;
            case BackendKinds.SageMaker:
                services.AddSageMakerTrainingClient(o => configuration.GetSection($"{QueueOptions.SectionName}:SageMaker").Bind(o));
                break;
        }
    }
}
