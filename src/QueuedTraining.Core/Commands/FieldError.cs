namespace QueuedTraining.Core.Commands;

/// <summary>One thing wrong with a submitted request.</summary>
/// <param name="Code">A stable code from <see cref="Contracts.Queue.ProblemCodes"/>.</param>
/// <param name="Field">The JSON path of the member at fault, e.g. <c>ResourceConfig.InstanceType</c>.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record FieldError(string Code, string Field, string Message);
