using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Server.Api;

namespace QueuedTraining.Server.OpenApi;

/// <summary>Describes the parameters a handler reads itself or checks more strictly than its signature says.</summary>
internal static class ParameterDescriptions
{
    /// <summary>The submit handler reads <c>Idempotency-Key</c> from the request's headers.</summary>
    public static Task IdempotencyKeyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = JobEndpoints.IdempotencyKeyHeader,
            In = ParameterLocation.Header,
            Description = "Up to 256 characters. The same key with the same body answers the job already queued; with another body, 409.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 256 },
        });
        return Task.CompletedTask;
    }

    /// <summary>The submit handler's <c>dryRun</c> switch answers as <c>POST /v1/what-if</c> does.</summary>
    public static Task DryRunAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "dryRun") is OpenApiParameter dryRun)
        {
            dryRun.Description = "When true, validate the request and answer what submitting it would do (a WhatIfResource, as POST /v1/what-if); nothing is stored.";
        }

        return Task.CompletedTask;
    }

    /// <summary>The listing's <c>state</c> is one job state, in lowercase, as the resources write it.</summary>
    public static Task StateFilterAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "state") is OpenApiParameter state)
        {
            state.Description = "Only jobs in this state.";
            state.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = Enum.GetNames<JobState>().Select(n => (JsonNode)JsonValue.Create(n.ToLowerInvariant())).ToList(),
            };
        }

        if (operation.Parameters?.FirstOrDefault(p => p.Name == "team") is OpenApiParameter team)
        {
            team.Description = "Only jobs of this team (see docs/scheduling.md).";
        }

        return Task.CompletedTask;
    }
}
