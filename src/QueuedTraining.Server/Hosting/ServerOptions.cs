using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Server.Hosting;

/// <summary>Which store and backend the service runs on, and limits of its HTTP API.</summary>
public sealed class ServerOptions : IValidatableObject
{
    /// <summary>Where jobs live: <c>Sqlite</c> (embedded, the default) or <c>DynamoDB</c>.</summary>
    [Required]
    public string Store { get; set; } = StoreKinds.Sqlite;

    /// <summary>What runs the jobs: <c>Simulated</c> (in process, the default) or <c>SageMaker</c>.</summary>
    [Required]
    public string Backend { get; set; } = BackendKinds.Simulated;

    /// <summary>The largest request body accepted, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest page of <c>GET /v1/jobs</c>.</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 100;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Store is not (StoreKinds.Sqlite or StoreKinds.DynamoDB))
        {
            yield return new ValidationResult("QueuedTraining:Store must be Sqlite or DynamoDB.", [nameof(Store)]);
        }

        if (Backend is not (BackendKinds.Simulated or BackendKinds.SageMaker))
        {
            yield return new ValidationResult("QueuedTraining:Backend must be Simulated or SageMaker.", [nameof(Backend)]);
        }
    }
}

/// <summary>Validates <see cref="ServerOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class ServerOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<ServerOptions>;


/// <summary>The values of <see cref="ServerOptions.Store"/>.</summary>
public static class StoreKinds
{
    /// <summary>One SQLite file.</summary>
    public const string Sqlite = "Sqlite";

    /// <summary>A DynamoDB table shared by replicas.</summary>
    public const string DynamoDB = "DynamoDB";
}

/// <summary>The values of <see cref="ServerOptions.Backend"/>.</summary>
public static class BackendKinds
{
    /// <summary>The in-process simulated SageMaker.</summary>
    public const string Simulated = "Simulated";

    /// <summary>Amazon SageMaker itself.</summary>
    public const string SageMaker = "SageMaker";
}
