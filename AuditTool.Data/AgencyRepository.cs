using AuditTool.Domain.Agencies;
using Dapper;

namespace AuditTool.Data;

public sealed class AgencyRepository(ConnectionFactory factory) : IAgencyRepository
{
    private const string Columns = "id AS Id, key AS Key, name AS Name, kind AS Kind";

    public async Task<IReadOnlyList<Agency>> GetAllAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<AgencyRow>($"SELECT {Columns} FROM agencies ORDER BY name");
        return rows.Select(r => r.ToAgency()).ToList();
    }

    public async Task<Agency?> GetByIdAsync(long id)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<AgencyRow>($"SELECT {Columns} FROM agencies WHERE id = @id", new { id }))
            ?.ToAgency();
    }

    public async Task<Agency?> GetByKeyAsync(string key)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<AgencyRow>($"SELECT {Columns} FROM agencies WHERE key = @key", new { key }))
            ?.ToAgency();
    }

    public async Task<long> CreateAsync(Agency agency)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO agencies (key, name, kind, created_utc) VALUES (@Key, @Name, @Kind, @Now) RETURNING id",
            new { agency.Key, agency.Name, agency.Kind, Now = Utc.Format(DateTimeOffset.UtcNow) });
    }

    public async Task ReplaceAsync(Agency agency)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        // An agency's kind decides which questions its returns are asked: every audit's figures may change with it.
        await connection.ExecuteAsync("""
            UPDATE audits SET changes = changes + 1 WHERE id IN (SELECT audit_id FROM audit_agencies WHERE agency_id = @Id)
                AND EXISTS (SELECT 1 FROM agencies WHERE id = @Id AND kind <> @Kind);
            UPDATE agencies SET name = @Name, kind = @Kind WHERE id = @Id
            """, new { agency.Id, agency.Name, agency.Kind }, tx);
        await tx.CommitAsync();
    }

    private sealed class AgencyRow
    {
        public long Id { get; set; }
        public string Key { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string Kind { get; set; } = string.Empty;


        public Agency ToAgency() => Agency.Create(Key, Name, Kind, Id);
    }
}
