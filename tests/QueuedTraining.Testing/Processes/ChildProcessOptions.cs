namespace QueuedTraining.Testing.Processes;

/// <summary>How <see cref="ChildProcess"/> starts a program: where, with which environment, fed what, for how long.</summary>
public sealed record ChildProcessOptions
{
    /// <summary>The folder it runs in; the test's own when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long it may run before it is killed and the test fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Variables set (after the removals) in the environment it inherits.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Inherited variables removed first, by prefix (case-insensitive).</summary>
    public IReadOnlyList<string> RemoveVariablesStartingWith { get; init; } = [];

    /// <summary>Text written to its standard input, which is then closed; none when null.</summary>
    public string? StandardInput { get; init; }

    /// <summary>What the failure says when the program cannot be started, e.g. which package provides it.</summary>
    public string? MissingHint { get; init; }

    /// <summary>
    /// An AWS client run as a user would: credentials from the environment and nothing else, so no profile, config file
    /// or instance metadata on this machine changes what it does. The endpoint URL is then the only other thing it is told.
    /// </summary>
    public static ChildProcessOptions AwsClient(string accessKeyId, string secretAccessKey, string region = "us-east-1") => new()
    {
        RemoveVariablesStartingWith = ["AWS_"],
        Environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
            ["AWS_DEFAULT_REGION"] = region,
            ["AWS_REGION"] = region,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_CONFIG_FILE"] = "/nonexistent/aws-config",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials",
            ["AWS_PAGER"] = string.Empty,
        },
    };

    /// <summary>
    /// The dotnet CLI started from inside a test host: the host's MSBuild and VSTest settings must not leak into a child
    /// build, and no build server may outlive the test.
    /// </summary>
    public static ChildProcessOptions DotnetCli(string? workingDirectory = null) => new()
    {
        WorkingDirectory = workingDirectory,
        RemoveVariablesStartingWith = ["MSBuild", "VSTEST"],
        Environment = new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        },
    };

    /// <summary>These options with <paramref name="variables"/> set as well.</summary>
    public ChildProcessOptions WithEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var merged = new Dictionary<string, string>(Environment);
        foreach (var (name, value) in variables)
        {
            merged[name] = value;
        }

        return this with { Environment = merged };
    }
}
