namespace QueuedTraining.Contracts.Queue;

/// <summary>
/// The stable codes of the queue API's RFC 9457 problem details. Each problem carries
/// <c>type</c> = <see cref="TypePrefix"/> + code, a <c>code</c> member, and a <c>field</c> member naming
/// the JSON path at fault where there is one.
/// </summary>
public static class ProblemCodes
{
    /// <summary>Prefix of every problem <c>type</c>.</summary>
    public const string TypePrefix = "urn:queued-training:problem:";

    /// <summary>The body is not valid JSON of the expected shape.</summary>
    public const string MalformedJson = "malformed-json";

    /// <summary>The body is larger than the server accepts.</summary>
    public const string BodyTooLarge = "body-too-large";

    /// <summary>A required member is missing.</summary>
    public const string MissingField = "missing-field";

    /// <summary>A member has a value SageMaker would reject.</summary>
    public const string InvalidField = "invalid-field";

    /// <summary>The training job name is missing or breaks SageMaker's naming rule.</summary>
    public const string InvalidJobName = "invalid-job-name";

    /// <summary>The body is not declared as JSON (<c>Content-Type: application/json</c>).</summary>
    public const string UnsupportedMediaType = "unsupported-media-type";

    /// <summary>The principal made too many requests; <c>Retry-After</c> says when to try again.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>The request itself is broken (for example its chunked body); the status says how.</summary>
    public const string BadRequest = "bad-request";

    /// <summary>The job store did not answer in time; nothing was changed; <c>Retry-After</c> says when to try again.</summary>
    public const string StoreUnavailable = "store-unavailable";

    /// <summary>More than 50 tags.</summary>
    public const string TooManyTags = "too-many-tags";

    /// <summary>A tag key appears more than once; SageMaker refuses that too.</summary>
    public const string DuplicateTag = "duplicate-tag";

    /// <summary>A tag spelled like the priority tag but not exactly it (<c>Priority</c> for <c>priority</c>), which would otherwise be ignored.</summary>
    public const string AmbiguousPriority = "ambiguous-priority";

    /// <summary>The priority is not an integer.</summary>
    public const string InvalidPriority = "invalid-priority";

    /// <summary>The priority is above the highest the caller may set (operators are not limited).</summary>
    public const string PriorityAboveLimit = "priority-above-limit";

    /// <summary>The job's team tag names a team its owner may not submit for.</summary>
    public const string TeamNotAllowed = "team-not-allowed";

    /// <summary>No capacity is configured for the instance type, or the job needs more instances than the pool has.</summary>
    public const string UnknownInstanceType = "unknown-instance-type";

    /// <summary>The job needs more instances than its pool holds.</summary>
    public const string InsufficientCapacity = "insufficient-capacity";

    /// <summary>A job of that name exists with a different body.</summary>
    public const string JobConflict = "job-conflict";

    /// <summary>No job of that name.</summary>
    public const string JobNotFound = "job-not-found";

    /// <summary>The job has ended and can no longer change.</summary>
    public const string JobFinished = "job-finished";

    /// <summary>No valid credentials.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>The caller does not own the job.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>A concurrent change won; retry.</summary>
    public const string ConcurrentUpdate = "concurrent-update";

    /// <summary>The page token is not one the server issued.</summary>
    public const string InvalidPageToken = "invalid-page-token";
}
