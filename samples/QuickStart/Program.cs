using QueuedTraining.Samples.QuickStart;

// Ctrl+C ends the replay early; the queue service stops with it.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var result = await QuickStartScenario.RunAsync(Console.Out, timeScale: 1.0, cancellation.Token);
return result.AllCompleted ? 0 : 1;
