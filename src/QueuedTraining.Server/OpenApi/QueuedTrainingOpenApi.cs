using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using QueuedTraining.Server.Security;

namespace QueuedTraining.Server.OpenApi;

/// <summary>
/// The OpenAPI document of the HTTP API v1 (<c>/openapi/v1.json</c>), complete enough to generate a client from:
/// what the service is, how callers authenticate, and SageMaker's own member names in request bodies.
/// </summary>
internal static class QueuedTrainingOpenApi
{
    /// <summary>The security scheme of <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>The security scheme of <c>X-Api-Key: &lt;key&gt;</c>.</summary>
    public const string ApiKeyHeaderScheme = "apiKey";

    public static IServiceCollection AddQueuedTrainingOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(DescribeServiceAsync);
            options.AddOperationTransformer(RequireCredentialsAsync);
            options.AddOperationTransformer(DescribeRetryAfterAsync);
            options.AddDocumentTransformer(SageMakerMemberNames.ApplyAsync);
        });

    private static Task DescribeServiceAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "QueuedTraining queue API";
        document.Info.Version = "v1";
        document.Info.Description =
            "A priority queue in front of Amazon SageMaker training jobs. Errors are RFC 9457 problem details whose " +
            "'type' is urn:queued-training:problem:<code>. The SageMaker-compatible endpoint (POST /) speaks SageMaker's " +
            "own JSON protocol with SigV4 and is not described here: use an AWS SDK with its endpoint URL.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key of a principal (QueuedTraining:Auth:Mode=ApiKey): Authorization: Bearer <key>.",
        };
        document.Components.SecuritySchemes[ApiKeyHeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "The same API key in the X-Api-Key header.",
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every endpoint behind the API-key scheme takes either header. In loopback mode (<c>Auth:Mode=None</c>) the
    /// service asks for no credential and ignores one sent, so the empty requirement is listed as well.
    /// </summary>
    private static Task RequireCredentialsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHeaderScheme, context.Document)] = [] });
        var auth = context.ApplicationServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue;
        if (string.Equals(auth.Mode, AuthModes.None, StringComparison.OrdinalIgnoreCase))
        {
            operation.Security.Add(new OpenApiSecurityRequirement());
        }

        return Task.CompletedTask;
    }

    /// <summary>A rate-limited caller and a busy store are told when to try again, in whole seconds.</summary>
    private static Task DescribeRetryAfterAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var status in new[] { "429", "503" })
        {
            if (operation.Responses?.TryGetValue(status, out var found) == true && found is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                };
            }
        }

        return Task.CompletedTask;
    }
}
