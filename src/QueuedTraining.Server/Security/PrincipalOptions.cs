namespace QueuedTraining.Server.Security;

/// <summary>
/// One tenant or operator (<c>QueuedTraining:Auth:Principals:&lt;name&gt;</c>), with every credential it uses: its API keys
/// and its SigV4 access keys name the same owner, so a job submitted on one surface is the principal's on the other.
/// No secret is a configuration key: API keys are given as SHA-256 digests, secret access keys as a file to read.
/// </summary>
public sealed class PrincipalOptions
{
    /// <summary>Whether the principal operates the queue (may read and change every job).</summary>
    public bool Operator { get; set; }

    /// <summary>Hex SHA-256 digests of the principal's API keys (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public List<string> ApiKeySha256 { get; set; } = [];

    /// <summary>The principal's SigV4 access keys, for the SageMaker-compatible surface.</summary>
    public List<AccessKeyOptions> AccessKeys { get; set; } = [];
}

/// <summary>One SigV4 access key. SigV4 needs the secret itself to check a signature, so it is read from a file.</summary>
public sealed class AccessKeyOptions
{
    /// <summary>The access key id (compared exactly, case included).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>A file holding the secret access key (a mounted secret); surrounding white space is ignored.</summary>
    public string? SecretFile { get; set; }
}
