using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QueuedTraining.Testing;

/// <summary>
/// A loopback HTTP proxy that lets one request at a time through to moto_server.
/// </summary>
/// <remarks>
/// moto_server runs requests on parallel threads without isolating them: a TransactWriteItems checks and
/// applies its items one by one while other requests run, and a cancelled one restores a deep copy of the whole
/// table taken when it began, erasing every write that other requests made meanwhile. Real DynamoDB makes each
/// request atomic and serialises conflicting transactions. Admitting one request at a time gives moto that
/// property; the callers still race each other for the order, which is all a client of DynamoDB can observe.
/// moto also never cancels a transaction for a conflict, so <see cref="Intercept"/> lets a test answer a request
/// itself, in DynamoDB's wire format, instead of forwarding it.
/// </remarks>
public sealed class SerializingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Proxy-Connection", "Upgrade",
    };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Uri _target;
    private readonly Task _loop;

    public SerializingProxy(Uri target)
    {
        _target = target;
        var port = FreeLoopbackPort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    /// <summary>Requests forwarded, by DynamoDB operation.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Operations { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Called with each request's operation name and body, one request at a time; a non-null reply is sent back in place of
    /// moto's answer.
    /// </summary>
    public Func<string, string, ProxyReply?>? Intercept { get; set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _client.Dispose();
        _oneAtATime.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ForwardAsync(context));
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.RawUrl))
            {
                Content = new ByteArrayContent(body.ToArray()),
            };
            foreach (var name in context.Request.Headers.AllKeys.OfType<string>().Where(n => !HopByHop.Contains(n)))
            {
                var value = context.Request.Headers[name];
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            byte[] responseBody;
            HttpResponseMessage response;
            var operation = context.Request.Headers["X-Amz-Target"]?.Split('.').Last() ?? "?";
            Operations.AddOrUpdate(operation, 1, (_, count) => count + 1);
            await _oneAtATime.WaitAsync();
            try
            {
                var reply = Intercept?.Invoke(operation, Encoding.UTF8.GetString(body.ToArray()));
                response = reply is null ? await _client.SendAsync(request) : reply.ToResponse();
                responseBody = await response.Content.ReadAsByteArrayAsync();
            }
            finally
            {
                _oneAtATime.Release();
            }

            using (response)
            {
                context.Response.StatusCode = (int)response.StatusCode;
                foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
                {
                    context.Response.Headers[header.Key] = string.Join(",", header.Value);
                }

                context.Response.ContentLength64 = responseBody.Length;
                await context.Response.OutputStream.WriteAsync(responseBody);
                context.Response.Close();
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An answer a <see cref="SerializingProxy"/> sends in place of the server's.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The JSON body.</param>
public sealed record ProxyReply(HttpStatusCode StatusCode, string Body)
{
    internal HttpResponseMessage ToResponse() => new(StatusCode)
    {
        Content = new StringContent(Body, Encoding.UTF8, "application/x-amz-json-1.0"),
    };
}
