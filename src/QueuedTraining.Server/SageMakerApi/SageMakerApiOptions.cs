using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Server.SageMakerApi;

/// <summary>
/// How the SageMaker-compatible endpoint (<c>POST /</c> with <c>X-Amz-Target: SageMaker.*</c>) names jobs; bound
/// from <c>QueuedTraining:SageMakerApi</c>. Callers authenticate with SigV4 against
/// <c>QueuedTraining:Auth:AccessKeys:&lt;access key id&gt;=&lt;secret&gt;</c>.
/// </summary>
public sealed class SageMakerApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QueuedTraining:SageMakerApi";

    /// <summary>The region written into the ARNs of queued jobs (default <c>us-east-1</c>); requests signed for any region are accepted.</summary>
    [Required]
    [RegularExpression("^[a-z]{2}(-[a-z]+)+-[0-9]+$", ErrorMessage = "QueuedTraining:SageMakerApi:Region must be an AWS region name such as us-east-1.")]
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account id written into the ARNs of queued jobs (default <c>000000000000</c>).</summary>
    [Required]
    [RegularExpression("^[0-9]{12}$", ErrorMessage = "QueuedTraining:SageMakerApi:AccountId must be 12 digits.")]
    public string AccountId { get; set; } = "000000000000";
}

/// <summary>Validates <see cref="SageMakerApiOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class SageMakerApiOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SageMakerApiOptions>;
