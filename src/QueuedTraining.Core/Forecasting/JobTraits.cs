using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Forecasting;

/// <summary>What a forecast needs from a job's request: its MaxRuntime bound and the family its runs are pooled in.</summary>
/// <param name="MaxRuntime">StoppingCondition.MaxRuntimeInSeconds: an attempt never holds instances longer.</param>
/// <param name="Family">The value of the family tag, else the name without its trailing numbers and dates.</param>
internal sealed partial record JobTraits(TimeSpan MaxRuntime, string Family)
{
    /// <summary>Used only for a request without a bound, which validation no longer accepts: SageMaker's own ceiling.</summary>
    private static readonly TimeSpan SageMakerCeiling = TimeSpan.FromDays(28);

    /// <summary>
    /// Reads <paramref name="job"/>'s request once; <paramref name="familyTagKey"/> names the family tag. A forward-only
    /// scan that skips every other member: a forecast reads the request of every waiting job, up to 100,000 of them.
    /// </summary>
    public static JobTraits Of(QueuedJob job, string familyTagKey)
    {
        ArgumentNullException.ThrowIfNull(job);
        var maxRuntime = SageMakerCeiling;
        string? family = null;
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(job.RequestJson.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(job.RequestJson, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("StoppingCondition"u8))
                    {
                        maxRuntime = ReadMaxRuntime(ref reader) ?? maxRuntime;
                    }
                    else if (reader.ValueTextEquals("Tags"u8))
                    {
                        family = ReadTag(ref reader, familyTagKey) ?? family;
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new JobTraits(maxRuntime, family ?? FamilyFromName(job.Name));
    }

    /// <summary>StoppingCondition.MaxRuntimeInSeconds when positive; the reader ends on the object's last token.</summary>
    private static TimeSpan? ReadMaxRuntime(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        TimeSpan? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMaxRuntime = reader.ValueTextEquals("MaxRuntimeInSeconds"u8);
            reader.Read();
            if (isMaxRuntime && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var seconds) && seconds > 0)
            {
                value = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    /// <summary>The first non-blank value of the tag named <paramref name="key"/>; the reader ends on the array's last token.</summary>
    private static string? ReadTag(ref Utf8JsonReader reader, string key)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        string? found = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? tagKey = null;
            string? tagValue = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("Key"u8) ? 1 : reader.ValueTextEquals("Value"u8) ? 2 : 0;
                reader.Read();
                if (member != 0 && reader.TokenType == JsonTokenType.String)
                {
                    if (member == 1)
                    {
                        tagKey = reader.GetString();
                    }
                    else
                    {
                        tagValue = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (found is null && tagKey == key && !string.IsNullOrWhiteSpace(tagValue))
            {
                found = tagValue;
            }
        }

        return found;
    }

    /// <summary>
    /// "resnet-sweep-20260101-3" and "resnet-sweep-7" are runs of "resnet-sweep": trailing groups of digits, each
    /// optionally after '-', '_' or '.', are removed. A name that is all digits is its own family.
    /// </summary>
    public static string FamilyFromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stem = TrailingNumbers().Replace(name, string.Empty);
        return stem.Length == 0 ? name : stem;
    }

    [GeneratedRegex(@"([-_.]?[0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingNumbers();
}
