using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace QueuedTraining.Testing.Processes;

/// <summary>
/// Runs a program to its end as a test's peer (the AWS CLI, python3 with boto3, node, the dotnet CLI, a built app) and
/// keeps what it printed. A program that is missing fails with a message naming it; one that outlives its time is
/// killed with its children and fails with what it printed so far, so a stuck peer never hangs the test run.
/// </summary>
public static class ChildProcess
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> until it exits.</summary>
    /// <exception cref="InvalidOperationException">The program could not be started (usually: not on PATH).</exception>
    /// <exception cref="TimeoutException">The program did not exit within <see cref="ChildProcessOptions.Timeout"/>.</exception>
    public static async Task<ChildProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, ChildProcessOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= new ChildProcessOptions();
        var argumentList = arguments.ToList();
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = options.StandardInput is not null,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        if (options.WorkingDirectory is { } directory)
        {
            start.WorkingDirectory = directory;
        }

        argumentList.ForEach(start.ArgumentList.Add);
        ApplyEnvironment(start, options);

        var output = new OutputCapture();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data, standardError: false);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data, standardError: true);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{fileName}' could not be started: {options.MissingHint ?? "it must be on PATH for this test."}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (options.StandardInput is { } input)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        using var deadline = new CancellationTokenSource(options.Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', argumentList)} did not exit within {options.Timeout}:\n{output.Result(-1).Output}");
        }

        // The parameterless wait returns only once both output streams have been read to their end.
        process.WaitForExit();
        return output.Result(process.ExitCode);
    }

    private static void ApplyEnvironment(ProcessStartInfo start, ChildProcessOptions options)
    {
        foreach (var name in start.Environment.Keys
            .Where(name => options.RemoveVariablesStartingWith.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }
    }

    /// <summary>Both streams line by line, each alone and interleaved as they arrived.</summary>
    private sealed class OutputCapture
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _standardOutput = new();
        private readonly StringBuilder _standardError = new();
        private readonly StringBuilder _both = new();

        public void Add(string? line, bool standardError)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                (standardError ? _standardError : _standardOutput).AppendLine(line);
                _both.AppendLine(line);
            }
        }

        public ChildProcessResult Result(int exitCode)
        {
            lock (_gate)
            {
                return new ChildProcessResult(exitCode, _standardOutput.ToString(), _standardError.ToString(), _both.ToString());
            }
        }
    }
}
