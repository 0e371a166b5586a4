using Amazon.S3;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.SageMaker;
using QueuedTraining.Server.Api;
using QueuedTraining.Server.Checkpoints;
using QueuedTraining.Server.Health;
using QueuedTraining.Server.Hosting;
using QueuedTraining.Server.OpenApi;
using QueuedTraining.Server.SageMakerApi;
using QueuedTraining.Server.Security;
using QueuedTraining.Server.Streaming;
using QueuedTraining.Server.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the queue service: options, store, backend, scheduler, API and authentication.</summary>
public static class QueuedTrainingServerServiceCollectionExtensions
{
    /// <summary>Adds everything the queue service needs, chosen by <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddQueuedTrainingServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var engine = services.AddQueuedTraining();
        engine.Options.Bind(configuration.GetSection(QueueOptions.SectionName));
        services.AddSingleton<IValidateOptions<QueueOptions>>(new CapacityTextValidator(configuration));
        services.AddOptionsWithValidateOnStart<ServerOptions>()
            .Bind(configuration.GetSection(QueueOptions.SectionName))
            .Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddOptionsWithValidateOnStart<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        var server = configuration.GetSection(QueueOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();

        // The store and backend are chosen while services are registered, before options are validated: a typo would
        // otherwise surface as "unable to resolve IJobStore" instead of saying which value is wrong.
        if (new ServerOptionsValidator().Validate(null, server) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(QueueOptions.SectionName, typeof(ServerOptions), invalid.Failures);
        }
        AddStore(engine, configuration, server.Store);
        AddBackend(engine, configuration, server.Backend);

        services.AddOptionsWithValidateOnStart<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.TryAddSingleton<PrincipalRateLimiter>();
        services.TryAddSingleton<IdentityDirectory>();
        services.TryAddSingleton<JsonBodyReader>();
        services.AddExceptionHandler<QueueExceptionHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusProblemCodes.Apply);
        services.AddQueuedTrainingOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, QueuedTraining.Contracts.Queue.QueueJsonContext.Default);

            // JsonBodyReader reads every body with its own context, whose numbers are strict; these options only write
            // responses and shape the OpenAPI schemas, where the web default (numbers read from strings) would describe
            // every integer as "integer or string".
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOptionsWithValidateOnStart<EventStreamOptions>()
            .Bind(configuration.GetSection(EventStreamOptions.SectionName))
            .Services.AddSingleton<IValidateOptions<EventStreamOptions>, EventStreamOptionsValidator>();
        services.TryAddSingleton<JobEventFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<JobEventFeed>());
        services.AddQueuedTrainingHealthChecks();
        services.AddQueuedTrainingTelemetry(configuration);
        services.AddSageMakerCompatibleApi(configuration);
        return services;
    }

    private static void AddStore(QueuedTrainingBuilder engine, IConfiguration configuration, string store)
    {
        switch (store)
        {
            case StoreKinds.Sqlite:
                engine.AddSqliteJobStore(o => configuration.GetSection($"{QueueOptions.SectionName}:Sqlite").Bind(o));
                break;
            case StoreKinds.DynamoDB:
                var section = configuration.GetSection($"{QueueOptions.SectionName}:DynamoDB");
                engine.AddDynamoDBJobStore(o => section.Bind(o), createTable: section.GetValue<bool>("CreateTable"));
                break;
        }
    }

    private static void AddBackend(QueuedTrainingBuilder engine, IConfiguration configuration, string backend)
    {
        switch (backend)
        {
            case BackendKinds.Simulated:
                engine.AddSimulatedSageMaker(o => configuration.GetSection(SimulatedSageMakerOptions.SectionName).Bind(o));
                break;
            case BackendKinds.SageMaker:
                engine.Services.AddSageMakerTrainingClient(o => configuration.GetSection($"{QueueOptions.SectionName}:SageMaker").Bind(o));

                // Where jobs checkpoint, read in the background to choose the victims that lose the least work.
                engine.Services.TryAddSingleton(sp => CheckpointS3Client.Create(
                    sp.GetRequiredService<IOptions<SageMakerClientOptions>>().Value,
                    configuration.GetValue<Uri?>($"{QueueOptions.SectionName}:SageMaker:S3ServiceUrl")));
                engine.Services.AddSingleton<ICheckpointReader>(sp => new S3CheckpointReader(sp.GetRequiredService<IAmazonS3>()));
                break;
        }
    }
}
