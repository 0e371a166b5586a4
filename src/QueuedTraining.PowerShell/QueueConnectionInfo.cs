namespace QueuedTraining.PowerShell;

/// <summary>What <c>Connect-QTQueue</c> reports: the queue the session now talks to.</summary>
/// <param name="BaseAddress">The queue service's address.</param>
/// <param name="UsesApiKey">Whether requests carry an API key.</param>
/// <param name="Pools">How many instance pools the service reported when the connection was checked; null when not checked.</param>
public sealed record QueueConnectionInfo(Uri BaseAddress, bool UsesApiKey, int? Pools);
