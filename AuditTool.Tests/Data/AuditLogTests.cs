using System.Data.Common;
using AuditTool.Data;
using Dapper;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

public abstract class AuditLogTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    [Fact]
    public async Task TheDatabase_RefusesToChangeOrEmptyTheAuditLog()
    {
        using var db = NewDatabase();
        await db.Get<IAuditLog>().WriteAsync(new AuditLogEntry(DateTimeOffset.UtcNow, null, "someone", "create", "agency", "1", null, "x"));
        using var connection = db.Factory.Open();

        var update = Assert.ThrowsAny<DbException>(() => connection.Execute("UPDATE audit_log SET action = 'tampered'"));
        var delete = Assert.ThrowsAny<DbException>(() => connection.Execute("DELETE FROM audit_log"));
        var empty = Engine == DatabaseEngine.Postgres
            ? Assert.ThrowsAny<DbException>(() => connection.Execute("TRUNCATE audit_log"))
            : delete;

        Assert.All(new[] { update, delete, empty }, ex => Assert.Contains("append-only", ex.Message));
        Assert.Equal("create", connection.ExecuteScalar<string>("SELECT action FROM audit_log"));
    }

    [Fact]
    public async Task Search_FiltersByUserEntityAndDate_AndPages_NewestFirst()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var log = db.Get<IAuditLog>();
        var day = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 30; i++)
        {
            await log.WriteAsync(new AuditLogEntry(day.AddHours(i * 3), 1, i % 2 == 0 ? "police.auditor" : "scrutineer", "update",
                i % 3 == 0 ? "answer" : "audit", i.ToString(), "old", "new"));
        }

        var service = db.Get<AuditLogService>();
        var byUser = await service.SearchAsync(admin, new AuditLogQuery("police", null, null, null, 0, 100));
        var byEntity = await service.SearchAsync(admin, new AuditLogQuery(null, "answer", null, null, 0, 100));
        var byDay = await service.SearchAsync(admin, new AuditLogQuery(null, null, new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 21), 0, 100));
        var second = await service.SearchAsync(admin, new AuditLogQuery("police", null, null, null, 5, 5));

        Assert.Equal(15, byUser.Total);
        Assert.All(byUser.Entries, e => Assert.Equal("police.auditor", e.UserName));
        Assert.Equal(10, byEntity.Total);
        Assert.Equal(8, byDay.Total); // hours 15..36 after 09:00 on the 20th fall on the 21st: i = 5..12
        Assert.All(byDay.Entries, e => Assert.Equal(21, e.AtUtc.Day));
        Assert.Equal(["18", "16", "14", "12", "10"], second.Entries.Select(e => e.EntityId));
    }

    [Fact]
    public async Task Search_ByAnyoneButAnAdministrator_IsRefused()
    {
        using var db = NewDatabase();
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            db.Get<AuditLogService>().SearchAsync(scrutineer, new AuditLogQuery(null, null, null, null, 0, 10)));
    }
}

public sealed class AuditLogTestsOnSqlite() : AuditLogTests(DatabaseEngine.Sqlite);

public sealed class AuditLogTestsOnPostgres() : AuditLogTests(DatabaseEngine.Postgres);
