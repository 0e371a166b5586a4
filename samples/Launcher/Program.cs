using System.Globalization;
using Launcher;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QueuedTraining.Client;
using QueuedTraining.Contracts.SageMaker;

// A training launcher. Its code below only knows ISageMakerTrainingClient; the registration decides whether
// CreateTrainingJob starts the job at once (SageMaker) or queues it (QueuedTraining).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = builder.Configuration.GetSection("Launcher");

if (settings.GetValue<bool>("UseSageMaker"))
{
    // Direct submission: the application's own SageMaker client.
    builder.Services.AddSageMakerTrainingClient(o => builder.Configuration.GetSection("SageMaker").Bind(o));
}

// The one-line switch to queued submission: decorate whatever ISageMakerTrainingClient is registered above.
builder.Services.AddQueuedSageMakerTraining(builder.Configuration.GetSection(TrainingQueueClientOptions.SectionName));

using var host = builder.Build();
await host.StartAsync(); // validates the options
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var sageMaker = host.Services.GetRequiredService<ISageMakerTrainingClient>();
var name = settings["JobName"] ?? $"pytorch-demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
var request = TrainingRequests.PyTorch(name, settings.GetValue("Priority", 10), settings.GetValue("SimulatedSeconds", 20));

var created = await sageMaker.CreateTrainingJobAsync(request, stop.Token);
Console.WriteLine($"Submitted {name}: {created.TrainingJobArn}");

// The launcher's usual DescribeTrainingJob keeps working while the job waits in the queue.
var description = await sageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name }, stop.Token);
Console.WriteLine($"DescribeTrainingJob: {description.TrainingJobStatus} / {description.SecondaryStatus}: {description.SecondaryStatusTransitions?.LastOrDefault()?.StatusMessage}");

// Wait for the end, printing each change of state and queue position. InlineProgress prints on the waiting thread,
// so every line comes before the outcome (Progress<T> would post it to the thread pool, possibly after).
var waiter = host.Services.GetRequiredService<TrainingJobWaiter>();
var progress = new InlineProgress<QueuedJobStatus>(status => Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{DateTime.Now:HH:mm:ss} {status.State,-10} position {status.QueuePosition?.ToString(CultureInfo.InvariantCulture) ?? "-"} {status.Reason}")));
try
{
    var outcome = await waiter.WaitUntilEndedAsync(name, new TrainingJobWaitOptions { MaxPollInterval = TimeSpan.FromSeconds(5) }, progress, stop.Token);
    Console.WriteLine($"{name} ended: {outcome.Kind}{(outcome.Reason is null ? string.Empty : " (" + outcome.Reason + ")")}");
    return outcome.Kind == QueuedJobOutcomeKind.Completed ? 0 : 1;
}
catch (OperationCanceledException)
{
    Console.WriteLine($"Stopped waiting; {name} goes on in the queue. Cancel it with StopTrainingJob.");
    return 2;
}
finally
{
    await host.StopAsync();
}
