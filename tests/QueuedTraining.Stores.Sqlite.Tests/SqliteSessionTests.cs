using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

public sealed class SqliteSessionTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("qt-session-").FullName, "s.db");

    public SqliteSessionTests()
    {
        using var setup = new SqliteSession(ConnectionString);
        setup.Command("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER PRIMARY KEY);").ExecuteNonQuery();
    }

    private string ConnectionString => $"Data Source={_path};Pooling=False";

    [Fact]
    public void Command_SameSqlTwice_ReusesTheCommandWithNewValues()
    {
        using var session = new SqliteSession(ConnectionString);
        session.Command("INSERT INTO t (v) VALUES ($p0)", 1).ExecuteNonQuery();

        var first = session.Command("SELECT COUNT(*) FROM t WHERE v >= $p0", 1);
        Assert.Equal(1L, (long)first.ExecuteScalar()!);
        var second = session.Command("SELECT COUNT(*) FROM t WHERE v >= $p0", 2);

        Assert.Same(first, second);
        Assert.Equal(0L, (long)second.ExecuteScalar()!);
    }

    [Fact]
    public void Rent_ASessionLentBefore_SeesCommitsMadeSinceItsLastRead()
    {
        using var readers = new SqliteReadSessions(ConnectionString, maxIdle: 1);
        using var writer = new SqliteSession(ConnectionString);
        SqliteSession lent;
        using (var lease = readers.Rent())
        {
            lent = lease.Session;
            Assert.Equal(0L, (long)lease.Session.Command("SELECT COUNT(*) FROM t").ExecuteScalar()!);
        }

        writer.Command("INSERT INTO t (v) VALUES ($p0)", 42).ExecuteNonQuery();

        using (var lease = readers.Rent())
        {
            Assert.Same(lent, lease.Session);
            Assert.Equal(1L, (long)lease.Session.Command("SELECT COUNT(*) FROM t").ExecuteScalar()!);
        }
    }

    [Fact]
    public void Rent_MoreAtOnceThanKeptIdle_ClosesTheSurplusOnReturn()
    {
        using var readers = new SqliteReadSessions(ConnectionString, maxIdle: 1);
        var first = readers.Rent();
        var second = readers.Rent();
        Assert.NotSame(first.Session, second.Session);

        first.Dispose();
        second.Dispose();

        // The second went back beyond the idle limit, so it was closed; the first is the one lent again.
        Assert.Equal(System.Data.ConnectionState.Closed, second.Session.Connection.State);
        using var again = readers.Rent();
        Assert.Same(first.Session, again.Session);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
