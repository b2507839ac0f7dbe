using Dapper;

namespace AuditTool.Data;

/// <summary>The data protection key ring's XML elements, one row each (never changed, only added).</summary>
public sealed class KeyRingRepository(ConnectionFactory factory)
{
    public IReadOnlyList<string> GetAll()
    {
        using var connection = factory.Open();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").ToList();
    }

    public void Add(string friendlyName, string xml, DateTimeOffset now)
    {
        using var connection = factory.Open();
        connection.Execute(
            "INSERT INTO data_protection_keys (friendly_name, xml, created_utc) VALUES (@friendlyName, @xml, @now)",
            new { friendlyName, xml, now = Utc.Format(now) });
    }
}
