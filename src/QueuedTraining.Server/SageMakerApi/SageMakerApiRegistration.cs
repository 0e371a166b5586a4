using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace QueuedTraining.Server.SageMakerApi;

/// <summary>Registers and maps the SageMaker-compatible endpoint.</summary>
internal static class SageMakerApiRegistration
{
    public static IServiceCollection AddSageMakerCompatibleApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<SageMakerApiOptions>()
            .Bind(configuration.GetSection(SageMakerApiOptions.SectionName))
            .Services.AddSingleton<IValidateOptions<SageMakerApiOptions>, SageMakerApiOptionsValidator>();
        services.TryAddSingleton<SigV4CallerAuthenticator>();
        services.TryAddSingleton<SageMakerApiOperations>();
        services.TryAddSingleton<SageMakerApiEndpoint>();
        return services;
    }

    /// <summary>
    /// Maps <c>POST /</c>. It is anonymous to the API-key scheme because it authenticates each request by its
    /// SigV4 signature, as SageMaker does; the v1 API stays under <c>/v1</c>. It is left out of the OpenAPI document:
    /// its contract is SageMaker's own service model, one path for every operation, and its clients are AWS SDKs.
    /// </summary>
    public static IEndpointConventionBuilder MapSageMakerCompatibleApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/", (HttpContext context, SageMakerApiEndpoint endpoint) => endpoint.HandleAsync(context))
            .AllowAnonymous()
            .WithTags("SageMaker")
            .ExcludeFromDescription()
            .WithSummary("SageMaker JSON 1.1 (X-Amz-Target: SageMaker.CreateTrainingJob | DescribeTrainingJob | ListTrainingJobs | StopTrainingJob), SigV4-signed.");
}
