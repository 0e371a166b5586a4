namespace QueuedTraining.Core.Forecasting;

/// <summary>When a waiting job is expected to start, as a range, and what the range rests on.</summary>
/// <param name="Earliest">If every attempt ahead of it ends as early as the shortest tenth of recent runs.</param>
/// <param name="Likely">If every attempt ahead of it takes the median of recent runs.</param>
/// <param name="Latest">If every attempt ahead of it runs to its MaxRuntime and higher-priority work keeps arriving at the rate the pool has seen.</param>
/// <param name="Basis">The runs the estimate rests on and what it assumes, in words.</param>
public sealed record ExpectedStart(DateTimeOffset Earliest, DateTimeOffset Likely, DateTimeOffset Latest, string Basis);
