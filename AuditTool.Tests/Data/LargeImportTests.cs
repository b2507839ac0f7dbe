using AuditTool.Data;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Packages;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

/// <summary>
/// A large import (PostgreSQL: its answers' references checked once after the copy, not row by row; issue 21) stores
/// every answer, and leaves the answers table's foreign keys exactly as they were: each still refuses a broken row and
/// a case removed still takes its answers with it.
/// </summary>
public abstract class LargeImportTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static AuditPackage Package(int cases)
    {
        var template = AuditScenario.Template;
        var agencies = new[] { new PackageAgency("police", "Cleveland Police", AgencyKinds.Police), new PackageAgency("education", "Schools", AgencyKinds.Education) };
        var caseList = Enumerable.Range(1, cases).Select(i => new PackageCase($"L-{i:D5}", new Dictionary<string, string>())).ToList();
        var returns = caseList.SelectMany(c => agencies.Select(a => new PackageReturn(c.Ref, a.Key, ReturnStatuses.Submitted,
            new Dictionary<string, object?>
            {
                ["seen-alone"] = "yes", ["voice"] = "partly", ["days"] = "3", ["notes"] = "Seen at school.",
                ["partners"] = new List<string> { "police" }, ["overall"] = "good",
            }.Concat(a.Kind == AgencyKinds.Education ? [new KeyValuePair<string, object?>("attendance", "no")] : []).ToDictionary(),
            new Dictionary<string, string> { ["seen-alone"] = "A note." }, null))).ToList();
        return new AuditPackage(new PackageAudit("Large import", AuditKinds.MultiAgency, "Purpose", "All cases", Thresholds.Default, null,
            AuditStatuses.Moderation, null, null, null, null, null), template, agencies, caseList, returns, [], [], []);
    }

    private static async Task<List<(string Name, string Definition)>> ReferencesAsync(ConnectionFactory factory)
    {
        using var connection = await factory.OpenAsync();
        return factory.Engine == DatabaseEngine.Postgres
            ? (await connection.QueryAsync<(string, string)>(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = CAST('answers' AS regclass) AND contype = 'f' ORDER BY conname")).ToList()
            : (await connection.QueryAsync<(string, string)>(
                "SELECT \"table\" || '.' || \"from\", \"on_delete\" FROM pragma_foreign_key_list('answers') ORDER BY 1")).ToList();
    }

    [Fact]
    public async Task ALargeImport_StoresEveryAnswer_AndTheAnswersKeepTheirReferences()
    {
        using var db = NewDatabase();
        var before = await ReferencesAsync(db.Factory);
        var package = Package(cases: 4_200);
        var expected = package.Returns.Sum(r => r.Answers.Count);
        Assert.True(expected >= AuditPackageStore.ManyAnswers, $"The package holds {expected} answers, fewer than a large import.");

        var auditId = await db.Get<IAuditPackageStore>().ImportAsync(package, null, null, DateTimeOffset.UtcNow);

        using var connection = await db.Factory.OpenAsync();
        Assert.Equal(expected, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM answers a JOIN agency_returns r ON r.id = a.return_id WHERE r.audit_id = @auditId", new { auditId }));
        Assert.Equal(before, await ReferencesAsync(db.Factory));
        Assert.NotEmpty(before);

        // Each reference still refuses a broken row...
        var returnId = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM agency_returns WHERE audit_id = @auditId", new { auditId });
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO answers (return_id, question_id, value, updated_utc) VALUES (@returnId, 987654, 'yes', 'now')", new { returnId }));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO answers (return_id, question_id, value, updated_utc) SELECT 987654, question_id, 'yes', 'now' FROM answers LIMIT 1"));
        // ...and a case removed takes its returns' answers with it.
        var caseId = await connection.ExecuteScalarAsync<long>("SELECT case_id FROM agency_returns WHERE id = @returnId", new { returnId });
        await connection.ExecuteAsync("DELETE FROM audit_cases WHERE id = @caseId", new { caseId });
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM answers a JOIN agency_returns r ON r.id = a.return_id WHERE r.case_id = @caseId", new { caseId }));
        Assert.Equal(expected - 13, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM answers a JOIN agency_returns r ON r.id = a.return_id WHERE r.audit_id = @auditId", new { auditId }));
    }
}

public sealed class LargeImportTestsOnSqlite() : LargeImportTests(DatabaseEngine.Sqlite);

public sealed class LargeImportTestsOnPostgres() : LargeImportTests(DatabaseEngine.Postgres);
