using System.Net;
using System.Net.Sockets;

namespace QueuedTraining.SageMaker.Tests.Fixtures;

/// <summary>Finds a free TCP port on the loopback interface.</summary>
internal static class LoopbackPort
{
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
