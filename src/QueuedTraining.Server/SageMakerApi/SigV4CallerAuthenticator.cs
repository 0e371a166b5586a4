using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;
using QueuedTraining.SageMaker.Verification;
using QueuedTraining.Server.Security;

namespace QueuedTraining.Server.SageMakerApi;

/// <summary>
/// Verifies the SigV4 signature of a request to the SageMaker-compatible endpoint against
/// <see cref="AuthOptions.AccessKeys"/>. The access key id is the caller: it owns the jobs it submits, and
/// it is an operator when <see cref="AuthOptions.Operators"/> lists it. This holds in every auth mode: AWS
/// clients always sign, so there is no reason to accept an unsigned request here.
/// </summary>
internal sealed class SigV4CallerAuthenticator
{
    private readonly IdentityDirectory _identities;
    private readonly SigV4RequestVerifier _verifier;

    public SigV4CallerAuthenticator(IdentityDirectory identities, TimeProvider time)
    {
        _identities = identities;

        // Any region: clients sign for whatever region they are configured with, and the queue serves them all.
        _verifier = new SigV4RequestVerifier(LookUpSecret, new SigV4RequestVerifierOptions { Region = null }, time);
    }

    /// <summary>Returns the verified caller, or throws the <see cref="SageMakerException"/> AWS would answer with.</summary>
    public JobCaller Authenticate(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget))
        {
            rawTarget = context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }

        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }

        var result = _verifier.Verify(new SigV4IncomingRequest(
            context.Request.Method,
            query < 0 ? rawTarget : rawTarget[..query],
            query < 0 ? null : rawTarget[(query + 1)..],
            headers,
            body));
        if (!result.IsValid)
        {
            throw result.ToException();
        }

        return _identities.FindAccessKey(result.AccessKeyId)!.Value.Caller;
    }

    private string? LookUpSecret(string accessKeyId) => _identities.FindAccessKey(accessKeyId)?.Secret;
}
