using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>Where the DynamoDB job store keeps its table and how it reaches DynamoDB.</summary>
public sealed class DynamoDBJobStoreOptions
{
    /// <summary>The table that holds jobs, the scheduler lease and the per-pool holder lists.</summary>
    [Required]
    [RegularExpression("^[a-zA-Z0-9_.-]{3,255}$", ErrorMessage = "TableName must be 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'.")]
    public string TableName { get; set; } = "QueuedTrainingJobs";

    /// <summary>The AWS region (for example <c>us-east-1</c>); also the signing region when <see cref="ServiceUrl"/> is set.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>An endpoint to use instead of the region's (DynamoDB Local, moto_server); null for AWS itself.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// An access key for local endpoints. Leave null in AWS so the SDK's default chain (environment, profile,
    /// web identity, container or instance role) supplies credentials that rotate.
    /// </summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret key paired with <see cref="AccessKeyId"/>.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A session token paired with <see cref="AccessKeyId"/>, if the keys are temporary.</summary>
    public string? SessionToken { get; set; }

    /// <summary>
    /// Throws one <see cref="ValidationException"/> listing every problem, so a misconfigured replica fails at
    /// start-up rather than on its first write.
    /// </summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            results.Add(new ValidationResult("AccessKeyId and SecretAccessKey must be given together.", [nameof(AccessKeyId), nameof(SecretAccessKey)]));
        }

        if (results.Count > 0)
        {
            throw new ValidationException(
                "DynamoDBJobStoreOptions is invalid: " + string.Join(" ", results.Select(r => r.ErrorMessage)));
        }
    }
}
