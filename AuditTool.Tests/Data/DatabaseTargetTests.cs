using AuditTool.Data;
using Npgsql;

namespace AuditTool.Tests.Data;

public class DatabaseTargetTests
{
    [Fact]
    public void APath_IsSqlite_RelativeToTheGivenFolder()
    {
        var target = DatabaseTarget.Parse("data/audittool.db", "/srv/audittool");

        Assert.Equal(DatabaseEngine.Sqlite, target.Engine);
        Assert.Equal("/srv/audittool/data/audittool.db", target.FilePath);
    }

    [Fact]
    public void APostgresUri_GivesEveryPart_AndIsShownWithoutItsPassword()
    {
        var target = DatabaseTarget.Parse("postgresql://audit%20app:s%40cret@db.example.org:6543/partnership?sslmode=require", "/");
        var builder = new NpgsqlConnectionStringBuilder(GetConnectionString(target));

        Assert.Equal(DatabaseEngine.Postgres, target.Engine);
        Assert.Null(target.FilePath);
        Assert.Equal(("db.example.org", 6543, "partnership", "audit app", "s@cret", SslMode.Require),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
        Assert.Equal("postgresql://audit app@db.example.org:6543/partnership", target.Location);
        Assert.DoesNotContain("cret", target.ToString());
    }

    [Fact]
    public void APostgresUriWithoutPassword_TakesTheSetting()
    {
        var target = DatabaseTarget.Parse("postgres://app@localhost/audits", "/", password: "from-settings");

        var builder = new NpgsqlConnectionStringBuilder(GetConnectionString(target));
        Assert.Equal(("localhost", 5432, "from-settings"), (builder.Host, builder.Port, builder.Password));
    }

    [Theory]
    [InlineData("postgresql://app:secret@host:5432/", "names no database")]
    [InlineData("postgresql://host:5432/audits", "names no user")]
    [InlineData("postgresql://app:secret@:5432/audits", "is not a PostgreSQL address")]
    public void ABadUri_IsRefusedPlainly_WithoutShowingThePassword(string uri, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => DatabaseTarget.Parse(uri, "/"));

        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain("secret", ex.Message);
    }

    private static string GetConnectionString(DatabaseTarget target) => target.ConnectionString!;
}
