namespace QueuedTraining.SageMaker.Verification;

/// <summary>The error names AWS JSON services (SageMaker among them) answer authentication failures with.</summary>
public static class SigV4ErrorCodes
{
    /// <summary>No <c>Authorization</c> header (nor presigned query) at all.</summary>
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";

    /// <summary>The <c>Authorization</c> header or its date is malformed or incomplete.</summary>
    public const string IncompleteSignature = "IncompleteSignatureException";

    /// <summary>The access key id is not known.</summary>
    public const string UnrecognizedClient = "UnrecognizedClientException";

    /// <summary>The signature, its scope or its time is wrong.</summary>
    public const string InvalidSignature = "InvalidSignatureException";
}
