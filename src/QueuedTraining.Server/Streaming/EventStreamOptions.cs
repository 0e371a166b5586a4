using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Server.Streaming;

/// <summary>How <c>GET /v1/events</c> follows the store (section <c>QueuedTraining:Events</c>).</summary>
public sealed class EventStreamOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QueuedTraining:Events";

    /// <summary>How often a replica with subscribers reads the store's change log. One read serves every subscriber.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back each read starts before the newest change already seen, so that a change stamped a little earlier
    /// but committed (or indexed) a little later is still found: the longest commit, index lag and clock skew between
    /// replicas expected.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The oldest moment a <c>Last-Event-ID</c> resumes from; older ids resume from this far back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often an idle stream sends a comment, so proxies keep the connection open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Validates <see cref="EventStreamOptions"/> at start-up.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class EventStreamOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<EventStreamOptions>;
