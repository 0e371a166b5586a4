using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;

namespace QueuedTraining.PowerShell;

/// <summary>
/// Writes what an operator typed as a hashtable (nested hashtables, arrays, numbers, booleans, strings) as JSON, so
/// one reader handles hashtables, JSON strings and files alike; that reader also takes numbers where SageMaker wants
/// strings (hyperparameters, environment, tag values).
/// </summary>
internal static class PowerShellJson
{
    public static string FromDictionary(IDictionary dictionary) => Convert(dictionary)!.ToJsonString();

    private static JsonNode? Convert(object? value)
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
                    var key = entry.Key is PSObject k ? k.BaseObject : entry.Key;
                    obj[System.Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty] = Convert(entry.Value);
                }

                return obj;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case IEnumerable items:
                var array = new JsonArray();
                foreach (var item in items)
                {
                    array.Add(Convert(item));
                }

                return array;
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                return JsonNode.Parse(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
            default:
                return JsonValue.Create(System.Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
