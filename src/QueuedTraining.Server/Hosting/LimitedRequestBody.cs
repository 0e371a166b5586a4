using System.Buffers;

namespace QueuedTraining.Server.Hosting;

/// <summary>
/// Reads a request body whole, up to a size limit, for both API surfaces (the queue API parses it, the
/// SageMaker-compatible one also hashes it for SigV4). It reads Kestrel's pipe directly and copies the body
/// once into an array of its own size: no staging buffer and no growing stream per request.
/// </summary>
internal static class LimitedRequestBody
{
    /// <summary>The body's bytes, or null when it is longer than <paramref name="limit"/> (then not read to its end).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            // Nothing consumed, everything examined: the next read returns once more has arrived.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
