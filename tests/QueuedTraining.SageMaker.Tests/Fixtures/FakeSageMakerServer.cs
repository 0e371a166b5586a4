using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QueuedTraining.SageMaker.Tests.Fixtures;

/// <summary>
/// A minimal HTTP/1.1 server on loopback that answers with scripted SageMaker JSON 1.1 responses and
/// records what it received. Real SageMaker cannot run here; this speaks its wire format over a real socket.
/// </summary>
public sealed class FakeSageMakerServer : IAsyncDisposable
{
    private const int DropConnection = 0;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<ScriptedResponse> _responses = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public FakeSageMakerServer()
    {
        _listener.Start();
        ServiceUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Where the server listens.</summary>
    public Uri ServiceUrl { get; }

    /// <summary>The requests received, in order.</summary>
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Queues the next answer.</summary>
    public void Enqueue(int status, string body, params (string Name, string Value)[] headers) =>
        _responses.Enqueue(new ScriptedResponse(status, body, headers));

    /// <summary>Queues a transport failure: the connection is closed without an answer.</summary>
    public void EnqueueDroppedConnection() => Enqueue(DropConnection, string.Empty);

    /// <summary>Queues an AWS JSON error answer.</summary>
    public void EnqueueError(int status, string type, string message) =>
        Enqueue(status, $$"""{"__type":"{{type}}","message":"{{message}}"}""");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream);
            Requests.Enqueue(request);

            var response = _responses.TryDequeue(out var scripted)
                ? scripted
                : new ScriptedResponse(500, """{"__type":"InternalFailure","message":"No scripted response left."}""", []);
            if (response.Status == DropConnection)
            {
                client.Client.Close();
                return;
            }

            var body = Encoding.UTF8.GetBytes(response.Body);
            var head = new StringBuilder()
                .Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(ReasonPhrase(response.Status)).Append("\r\n")
                .Append("Content-Type: application/x-amz-json-1.1\r\n")
                .Append("x-amzn-RequestId: ").Append(Guid.NewGuid()).Append("\r\n")
                .Append("Content-Length: ").Append(body.Length).Append("\r\n")
                .Append("Connection: close\r\n");
            foreach (var (name, value) in response.Headers)
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            head.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(body);
            await stream.FlushAsync();
        }
    }

    private static async Task<ReceivedRequest> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer) && await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        var length = int.Parse(
            headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value ?? "0",
            System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return new ReceivedRequest(requestLine[0], requestLine[1], headers, body);
    }

    private static bool EndsWithBlankLine(List<byte> buffer) =>
        buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n';

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private sealed record ScriptedResponse(int Status, string Body, (string Name, string Value)[] Headers);
}

/// <summary>A request as the fake server received it.</summary>
public sealed record ReceivedRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>The value of a header (first occurrence), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The body as text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}
