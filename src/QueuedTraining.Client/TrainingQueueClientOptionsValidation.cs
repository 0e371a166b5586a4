using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace QueuedTraining.Client;

/// <summary>Validates options built by hand the same way start-up validation does, listing every error at once.</summary>
internal static class TrainingQueueClientOptionsValidation
{
    public static void ThrowIfInvalid(TrainingQueueClientOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                Options.DefaultName,
                typeof(TrainingQueueClientOptions),
                results.Select(r => r.ErrorMessage ?? "Invalid TrainingQueueClientOptions."));
        }
    }
}
