using System.Globalization;
using Microsoft.Extensions.Options;
using QueuedTraining.Core;

namespace QueuedTraining.Server.Hosting;

/// <summary>
/// The configuration binder drops a dictionary value it cannot convert, so <c>Capacity:ml.p5.48xlarge=abc</c> would
/// silently remove that pool. This reads the raw text and refuses what is not a whole number.
/// </summary>
internal sealed class CapacityTextValidator(IConfiguration configuration) : IValidateOptions<QueueOptions>
{
    private const string CapacitySection = QueueOptions.SectionName + ":" + nameof(QueueOptions.Capacity);

    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var failures = new List<string>();
        foreach (var pool in configuration.GetSection(CapacitySection).GetChildren())
        {
            if (pool.Value is { } text && !int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out _))
            {
                failures.Add($"{CapacitySection}:{pool.Key} must be a whole number of instances, not '{text}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
