using System.Collections.Frozen;

namespace QueuedTraining.Server.Dashboard;

/// <summary>
/// <c>/dashboard</c>: one static page, its script and its style, embedded in this assembly and served behind the API's
/// authentication. The page reads the v1 API and follows <c>/v1/events</c>; it holds no data of its own.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType)> Files = new[]
    {
        ("dashboard.html", "text/html; charset=utf-8"),
        ("dashboard.js", "text/javascript; charset=utf-8"),
        ("dashboard.css", "text/css; charset=utf-8"),
    }.ToFrozenDictionary(f => f.Item1, f => (Read(f.Item1), f.Item2), StringComparer.Ordinal);

    public static void MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        var dashboard = endpoints.MapGroup("/dashboard").RequireAuthorization().ExcludeFromDescription();
        dashboard.MapGet(string.Empty, (HttpContext context) => Serve(context, "dashboard.html"));
        dashboard.MapGet("/{file}", (string file, HttpContext context) => Serve(context, file));
    }

    private static IResult Serve(HttpContext context, string file)
    {
        if (!Files.TryGetValue(file, out var content))
        {
            return Results.NotFound();
        }

        // Only this origin's own script, style and API: nothing a job name could inject would run.
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        return Results.Bytes(content.Body, content.ContentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Dashboard/" + name)
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
