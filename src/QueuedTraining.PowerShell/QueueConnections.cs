using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using QueuedTraining.PowerShell.Engine;

namespace QueuedTraining.PowerShell;

/// <summary>The queue connection of each runspace, as <c>Connect-QTQueue</c> left it.</summary>
internal static class QueueConnections
{
    private static readonly ConcurrentDictionary<Guid, QueueSession> Sessions = new();

    private static Guid CurrentRunspace => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    public static QueueSession? Current => Sessions.TryGetValue(CurrentRunspace, out var session) ? session : null;

    public static void Set(QueueSession session)
    {
        var replaced = default(QueueSession);
        Sessions.AddOrUpdate(CurrentRunspace, session, (_, old) =>
        {
            replaced = old;
            return session;
        });
        replaced?.Dispose();
    }

    public static QueueSession? Remove() => Sessions.TryRemove(CurrentRunspace, out var session) ? session : null;

    public static void DisconnectAll()
    {
        foreach (var key in Sessions.Keys)
        {
            if (Sessions.TryRemove(key, out var session))
            {
                session.Dispose();
            }
        }
    }
}
