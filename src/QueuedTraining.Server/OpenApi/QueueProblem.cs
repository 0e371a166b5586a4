namespace QueuedTraining.Server.OpenApi;

/// <summary>
/// The shape of every error the HTTP API v1 answers, as the OpenAPI document describes it: RFC 9457 problem
/// details with the queue's stable <c>code</c>. <c>Problems</c> and <c>StatusProblemCodes</c> write them; this
/// type only documents them, so generated clients read <c>code</c>, <c>field</c> and <c>errors</c> as members.
/// </summary>
internal sealed class QueueProblem
{
    /// <summary><c>urn:queued-training:problem:</c> followed by <c>code</c>.</summary>
    public required string Type { get; init; }

    /// <summary>A short summary of the problem.</summary>
    public required string Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    public required int Status { get; init; }

    /// <summary>What went wrong in this request.</summary>
    public string? Detail { get; init; }

    /// <summary>The stable, machine-readable code (see <c>ProblemCodes</c>).</summary>
    public required string Code { get; init; }

    /// <summary>The JSON path or parameter at fault, when there is one.</summary>
    public string? Field { get; init; }

    /// <summary>Every problem found in the request, when it is invalid.</summary>
    public IReadOnlyList<QueueProblemError>? Errors { get; init; }

    /// <summary>The request's trace id, for the service's logs.</summary>
    public string? TraceId { get; init; }
}

/// <summary>One problem in an invalid request.</summary>
internal sealed class QueueProblemError
{
    /// <summary>The stable code of this problem.</summary>
    public required string Code { get; init; }

    /// <summary>The JSON path or parameter at fault.</summary>
    public required string Field { get; init; }

    /// <summary>What is wrong with it.</summary>
    public required string Message { get; init; }
}
