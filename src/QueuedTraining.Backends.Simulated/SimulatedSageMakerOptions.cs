using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Backends.Simulated;

/// <summary>How the simulated SageMaker behaves.</summary>
public sealed class SimulatedSageMakerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QueuedTraining:Simulated";

    /// <summary>How long a job trains when its <c>sim_duration_seconds</c> hyperparameter does not say.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan DefaultDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a stopped job stays <c>Stopping</c> before it is <c>Stopped</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The region written into ARNs.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account written into ARNs.</summary>
    [Required]
    public string AccountId { get; set; } = "000000000000";
}

/// <summary>Validates <see cref="SimulatedSageMakerOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class SimulatedSageMakerOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SimulatedSageMakerOptions>;
