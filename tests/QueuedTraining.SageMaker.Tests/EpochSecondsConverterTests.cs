using System.Text.Json;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.SageMaker.Tests;

/// <summary>Timestamps from callers: what a client may send is read, anything else is a JsonException (a 400), never a crash.</summary>
public sealed class EpochSecondsConverterTests
{
    [Theory]
    [InlineData("""{"CreationTimeAfter":1714566896.5}""")]
    [InlineData("""{"CreationTimeAfter":"1714566896.5"}""")]
    [InlineData("""{"CreationTimeAfter":"2024-05-01T12:34:56.5Z"}""")]
    public void Read_EpochSecondsOrIso8601_ReadsTheSameInstant(string json)
    {
        var request = JsonSerializer.Deserialize(json, SageMakerJsonContext.Default.ListTrainingJobsRequest)!;

        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 34, 56, 500, TimeSpan.Zero), request.CreationTimeAfter);
    }

    [Theory]
    [InlineData("""{"CreationTimeAfter":"yesterday"}""")]
    [InlineData("""{"CreationTimeAfter":1e300}""")]
    [InlineData("""{"CreationTimeAfter":-1e300}""")]
    [InlineData("""{"CreationTimeAfter":"1e300"}""")]
    [InlineData("""{"CreationTimeAfter":true}""")]
    [InlineData("""{"CreationTimeAfter":{}}""")]
    public void Read_NotATimestamp_ThrowsJsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, SageMakerJsonContext.Default.ListTrainingJobsRequest));
}
