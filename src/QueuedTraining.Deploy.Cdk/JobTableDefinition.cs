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
        ("by-change", "chgHour", "chg", false),
    ];
}
