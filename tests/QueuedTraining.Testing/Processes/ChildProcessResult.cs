namespace QueuedTraining.Testing.Processes;

/// <summary>How a child process ended and what it printed.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">What it wrote to standard output.</param>
/// <param name="StandardError">What it wrote to standard error.</param>
/// <param name="Output">Both, interleaved in the order the lines arrived.</param>
public sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError, string Output)
{
    /// <summary>True when it exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <inheritdoc />
    public override string ToString() => $"exit code {ExitCode}:\n{Output}";
}
