using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Client;

namespace QueuedTraining.PowerShell.Engine;

/// <summary>
/// One connection of a PowerShell session to a queue service: a service provider holding the resilient
/// <see cref="TrainingQueueClient"/> and the <see cref="TrainingJobWaiter"/>. Only types of this assembly, of
/// QueuedTraining's own assemblies and of the base class library cross to the cmdlets, so no Microsoft.Extensions or
/// Polly type is ever bound in PowerShell's default load context.
/// </summary>
public sealed class QueueSession : IDisposable
{
    private readonly ServiceProvider _provider;

    private QueueSession(ServiceProvider provider, QueueSessionSettings settings)
    {
        _provider = provider;
        BaseAddress = settings.BaseAddress;
        UsesApiKey = settings.ApiKey is not null;
        PriorityTagKey = settings.PriorityTagKey;
        Client = provider.GetRequiredService<TrainingQueueClient>();
        Waiter = provider.GetRequiredService<TrainingJobWaiter>();
    }

    /// <summary>The queue service's address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Whether requests carry an API key.</summary>
    public bool UsesApiKey { get; }

    /// <summary>The tag whose value is a job's priority.</summary>
    public string PriorityTagKey { get; }

    /// <summary>The queue client.</summary>
    public TrainingQueueClient Client { get; }

    /// <summary>Waits for jobs to end.</summary>
    public TrainingJobWaiter Waiter { get; }

    /// <summary>Builds the client for <paramref name="settings"/>; the options are validated here.</summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public static QueueSession Open(QueueSessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new TrainingQueueClientOptions
        {
            BaseAddress = settings.BaseAddress,
            ApiKey = settings.ApiKey,
            MaxRetryAttempts = settings.MaxRetryAttempts,
            TotalTimeout = settings.TotalTimeout,
            AttemptTimeout = settings.TotalTimeout < TimeSpan.FromSeconds(30) ? settings.TotalTimeout : TimeSpan.FromSeconds(30),
            PriorityTagKey = settings.PriorityTagKey,
        };
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true))
        {
            // No parameter name: the message reaches an operator at the prompt, to whom "settings" means nothing.
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.ErrorMessage)));
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTrainingQueueClient(o =>
        {
            o.BaseAddress = options.BaseAddress;
            o.ApiKey = options.ApiKey;
            o.MaxRetryAttempts = options.MaxRetryAttempts;
            o.TotalTimeout = options.TotalTimeout;
            o.AttemptTimeout = options.AttemptTimeout;
            o.PriorityTagKey = options.PriorityTagKey;
        });
        var provider = services.BuildServiceProvider();
        try
        {
            return new QueueSession(provider, settings);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _provider.Dispose();
}
