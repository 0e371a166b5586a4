using System.Globalization;
using Microsoft.Data.Sqlite;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// One open connection and the statements prepared on it. SQLite parses and plans a statement when it is
/// prepared; doing that on every use was the largest single cost of a submit. A session keeps one command per
/// SQL text, so each statement is prepared once per connection. Used by one thread at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteSession(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
    }

    public SqliteConnection Connection { get; }

    /// <summary>The transaction every command of this session runs in until it is cleared; null for autocommit.</summary>
    public SqliteTransaction? Transaction { get; set; }

    /// <summary>
    /// The prepared command for <paramref name="sql"/> with <paramref name="values"/> bound as <c>$p0</c>, <c>$p1</c>, ….
    /// The session owns it: callers dispose the readers they open, never the command.
    /// </summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<object> values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        var parameters = command.Parameters;
        parameters.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            parameters.AddWithValue(ParameterName(i), values[i]);
        }

        return command;
    }

    public SqliteTransaction BeginTransaction(bool deferred)
    {
        Transaction = Connection.BeginTransaction(deferred);
        return Transaction;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }

    private static string ParameterName(int index) => index switch
    {
        0 => "$p0",
        1 => "$p1",
        2 => "$p2",
        3 => "$p3",
        _ => "$p" + index.ToString(CultureInfo.InvariantCulture),
    };
}
