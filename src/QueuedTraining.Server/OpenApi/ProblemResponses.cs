using Microsoft.AspNetCore.Http.Metadata;

namespace QueuedTraining.Server.OpenApi;

/// <summary>Declares the problem responses of an endpoint or a group, so the document lists every error a caller can get.</summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(QueueProblem), [ContentType]));
        }

        return builder;
    }
}
