namespace QueuedTraining.SageMaker.Verification;

/// <summary>
/// The parts of an <c>AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c> header.
/// </summary>
internal sealed record SigV4AuthorizationHeader(
    string AccessKeyId,
    string ScopeDate,
    string ScopeRegion,
    string ScopeService,
    string ScopeTerminator,
    string SignedHeaders,
    string Signature)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Parses the header; on failure gives the message AWS would answer with.</summary>
    public static bool TryParse(string value, out SigV4AuthorizationHeader? header, out string? error)
    {
        header = null;
        value = value.Trim();
        if (!value.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            error = $"Authorization header requires the '{Algorithm}' algorithm. Authorization={value}";
            return false;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in value[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var (name, content) = equals < 0 ? (part, string.Empty) : (part[..equals].Trim(), part[(equals + 1)..].Trim());
            switch (name)
            {
                case "Credential": credential = content; break;
                case "SignedHeaders": signedHeaders = content; break;
                case "Signature": signature = content; break;
                default: break;
            }
        }

        var missing = new List<string>();
        if (string.IsNullOrEmpty(credential)) missing.Add("Credential");
        if (string.IsNullOrEmpty(signature)) missing.Add("Signature");
        if (string.IsNullOrEmpty(signedHeaders)) missing.Add("SignedHeaders");
        if (missing.Count > 0)
        {
            // AWS lists each missing parameter in one message, in this form.
            error = string.Join(" ", missing.Select(p => $"Authorization header requires '{p}' parameter.")) + $" Authorization={value}";
            return false;
        }

        var scope = credential!.Split('/');
        if (scope.Length != 5 || scope.Any(string.IsNullOrEmpty))
        {
            error = $"Credential should have 5 parts (access key, date, region, service and terminator) separated by '/', got '{credential}'.";
            return false;
        }

        header = new SigV4AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], scope[4], signedHeaders!, signature!);
        error = null;
        return true;
    }
}
