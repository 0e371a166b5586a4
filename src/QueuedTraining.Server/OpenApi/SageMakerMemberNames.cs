using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using QueuedTraining.Contracts.SageMaker;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace QueuedTraining.Server.OpenApi;

/// <summary>
/// Names the members of SageMaker's shapes (the body of <c>POST /v1/jobs</c>) as SageMaker spells them. The
/// document's schemas come from the HTTP API's JSON options, whose camelCase suits the v1 resources; the service
/// reads SageMaker's shapes with <see cref="SageMakerJsonContext"/>, which keeps <c>TrainingJobName</c> as it is.
/// It runs on the finished document: renaming a member while schemas are generated would hide the member's own
/// schema from the generator, which finds nested schemas by their camelCase names.
/// </summary>
internal static class SageMakerMemberNames
{
    private static readonly Type[] Shapes = typeof(SageMakerShape).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(SageMakerShape)) && !t.IsAbstract)
        .ToArray();

    public static Task ApplyAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return Task.CompletedTask;
        }

        var http = context.ApplicationServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        foreach (var type in Shapes)
        {
            if (schemas.TryGetValue(type.Name, out var found) && found is OpenApiSchema { Properties.Count: > 0 } schema
                && SageMakerJsonContext.Default.GetTypeInfo(type) is { } wire)
            {
                Rename(schema, Renames(http.GetTypeInfo(type), wire));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Each member's name in the document → its name on SageMaker's wire, matched by the property behind it.</summary>
    private static Dictionary<string, string> Renames(JsonTypeInfo documented, JsonTypeInfo wire)
    {
        var wireNames = wire.Properties
            .Where(p => p.AttributeProvider is MemberInfo)
            .ToDictionary(p => ((MemberInfo)p.AttributeProvider!).Name, p => p.Name, StringComparer.Ordinal);
        return documented.Properties
            .Where(p => p.AttributeProvider is MemberInfo member && wireNames.ContainsKey(member.Name))
            .ToDictionary(p => p.Name, p => wireNames[((MemberInfo)p.AttributeProvider!).Name], StringComparer.Ordinal);
    }

    private static void Rename(OpenApiSchema schema, Dictionary<string, string> renames)
    {
        schema.Properties = schema.Properties!.ToDictionary(p => renames.GetValueOrDefault(p.Key, p.Key), p => p.Value, StringComparer.Ordinal);
        if (schema.Required is { Count: > 0 } required)
        {
            schema.Required = required.Select(name => renames.GetValueOrDefault(name, name)).ToHashSet(StringComparer.Ordinal);
        }
    }
}
