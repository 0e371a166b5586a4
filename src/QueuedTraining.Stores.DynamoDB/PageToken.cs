using System.Buffers.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>
/// The opaque ListAsync page token: the index key of the last job on a page, with the filter it was issued
/// for, as base64url JSON. It is validated before it becomes an ExclusiveStartKey so a foreign or edited token
/// fails as <see cref="InvalidPageTokenException"/>, not as a DynamoDB error.
/// </summary>
internal static class PageToken
{
    private const int FormatVersion = 1;

    public static string Encode(string? state, Dictionary<string, AttributeValue> lastItem)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("s", state);
            writer.WriteString("n", JobTable.NameFromJobItemKey(lastItem[JobTable.Key].S));
            writer.WriteString("q", lastItem[JobTable.QueueKey].S);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>The ExclusiveStartKey a token stands for on the index chosen by <paramref name="state"/>.</summary>
    public static Dictionary<string, AttributeValue> Decode(string token, string? state)
    {
        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(token));
            var root = document.RootElement;
            var tokenState = root.GetProperty("s");
            var name = root.GetProperty("n").GetString();
            var queueKey = root.GetProperty("q").GetString();
            if (root.GetProperty("v").GetInt32() != FormatVersion
                || (tokenState.ValueKind == JsonValueKind.Null ? null : tokenState.GetString()) != state
                || string.IsNullOrEmpty(name)
                || string.IsNullOrEmpty(queueKey))
            {
                throw Invalid();
            }

            return new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [JobTable.Key] = JobItem.S(JobTable.JobItemKey(name)),
                [JobTable.QueueKey] = JobItem.S(queueKey),
                [state is null ? JobTable.Kind : JobTable.State] = JobItem.S(state ?? JobTable.JobKind),
            };
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Invalid();
        }
    }

    public static InvalidPageTokenException Invalid() =>
        new("The page token is not one this store issued for this query.");
}
