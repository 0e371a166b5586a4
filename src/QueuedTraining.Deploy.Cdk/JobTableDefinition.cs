namespace QueuedTraining.Deploy.Cdk;

/// <summary>
/// The job table as docs/dynamodb-store.md describes it and DynamoDBTableInitializer creates it. A test deploys both to
/// moto and compares what DynamoDB describes, so this copy cannot drift from the store's.
/// </summary>
internal static class JobTableDefinition
{
    public const string PartitionKey = "pk";

    /// <summary>Index name, partition key, sort key, whether it projects only keys.</summary>
    public static readonly IReadOnlyList<(string Name, string PartitionKey, string? SortKey, bool KeysOnly)> Indexes =
    [
        ("waiting-by-pool", "waitPool", "qk", true),
        ("by-state", "state", "qk", false),
        ("all-jobs", "kind", "qk", false),
        ("by-attempt", "attempt", null, true),
        ("by-idempotency-key", "idem", null, true),
    ];

    /// <summary>Every attribute the store writes; the TTL attribute must be none of them.</summary>
    public static readonly IReadOnlySet<string> StoreAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "pk", "body", "ver", "name", "kind", "state", "qk", "waitPool", "attempt", "idem", "holders", "holder", "token", "expiresAt",
    };
}
