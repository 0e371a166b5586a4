using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;

namespace QueuedTraining.PowerShell;

/// <summary>
/// Writes what an operator typed as a hashtable (nested hashtables, arrays, numbers, booleans, strings) as JSON, so
/// one reader handles hashtables, JSON strings and files alike. SageMaker's string maps (HyperParameters,
/// Environment) and tag values are strings on the wire, so numbers inside them are written as strings.
/// </summary>
internal static class PowerShellJson
{
    private static readonly HashSet<string> StringMaps = new(StringComparer.OrdinalIgnoreCase) { "HyperParameters", "Environment" };

    public static string FromDictionary(IDictionary dictionary) => Convert(dictionary, asString: false, membersAsStrings: false)!.ToJsonString();

    // asString: this value is a member of a string map; membersAsStrings: this value is a string map.
    private static JsonNode? Convert(object? value, bool asString, bool membersAsStrings)
    {
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        switch (value)
        {
            case null:
                return null;
            case IDictionary dictionary:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = System.Convert.ToString(entry.Key is PSObject k ? k.BaseObject : entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    var isTagValue = key.Equals("Value", StringComparison.OrdinalIgnoreCase) && dictionary.Contains("Key");
                    obj[key] = Convert(entry.Value, asString: membersAsStrings || isTagValue, membersAsStrings: StringMaps.Contains(key));
                }

                return obj;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return asString ? JsonValue.Create(b ? "true" : "false") : JsonValue.Create(b);
            case IEnumerable items:
                var array = new JsonArray();
                foreach (var item in items)
                {
                    array.Add(Convert(item, asString: false, membersAsStrings: false));
                }

                return array;
            case IFormattable number when IsNumber(number):
                var text = number.ToString(null, CultureInfo.InvariantCulture);
                return asString ? JsonValue.Create(text) : JsonNode.Parse(text);
            default:
                return JsonValue.Create(System.Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }

    private static bool IsNumber(object value) =>
        value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal;
}
