using QueuedTraining.Server;

await using var app = QueuedTrainingApplication.Build(args);
await app.RunAsync();
