namespace QueuedTraining.SageMaker.Verification;

/// <summary>An HTTP request as it arrived, before anything parsed or changed it.</summary>
/// <param name="Method">The HTTP method, for example <c>POST</c>.</param>
/// <param name="Path">The request path exactly as received (still percent-encoded), for example <c>/</c>.</param>
/// <param name="QueryString">The raw query string, with or without the leading <c>?</c>; null or empty for none.</param>
/// <param name="Headers">
/// Every header, names in any case; a header sent several times is given once with its values joined by
/// <c>,</c>. <c>Host</c> must be present as the client sent it.
/// </param>
/// <param name="Body">The exact body bytes.</param>
public sealed record SigV4IncomingRequest(
    string Method,
    string Path,
    string? QueryString,
    IReadOnlyDictionary<string, string> Headers,
    ReadOnlyMemory<byte> Body);
