using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Server.Api;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>Requests broken below JSON, and a store that does not answer: client errors and 503s, never a 500.</summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("ZZ")]
    [InlineData("FFFFFFFFFFFFFFFFFF")]
    public async Task PostJob_BrokenChunkSize_Answers400NotA500(string chunkSize)
    {
        var status = await SendRawAsync(
            "POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            $"{chunkSize}\r\n{{\"TrainingJobName\":\"x\"}}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 4", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExceptionHandler_StoreBusy_Answers503WithRetryAfter()
    {
        var context = new DefaultHttpContext { RequestServices = _service.Services };
        context.Response.Body = new MemoryStream();

        var handled = await new QueueExceptionHandler().TryHandleAsync(context, new SqliteException("database is locked", 5), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        Assert.Contains(ProblemCodes.StoreUnavailable, await new StreamReader(context.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);
    }

    /// <summary>Sends bytes no HTTP client library would, and returns the status line of the answer.</summary>
    private async Task<string> SendRawAsync(string request)
    {
        var address = _service.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? string.Empty;
    }
}
