using System.Net;

namespace QueuedTraining.Server.Security;

/// <summary>What makes a request from this machine look like it came from a web page rather than a local tool.</summary>
internal static class LoopbackRequest
{
    /// <summary>"Host" or "Origin" when that header names something other than this machine; null when the request is local.</summary>
    public static string? ForeignPart(HttpRequest request)
    {
        if (!IsLoopbackHost(request.Host.Host))
        {
            return "Host";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host)))
        {
            return "Origin";
        }

        return null;
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
