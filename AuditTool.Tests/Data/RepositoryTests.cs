using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

public abstract class RepositoryTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    [Fact]
    public async Task Agency_RoundTrip_StoresAndReadsBack()
    {
        using var db = NewDatabase();
        var repo = db.Get<IAgencyRepository>();

        var id = await repo.CreateAsync(Agency.Create("police", "Cleveland Police", AgencyKinds.Police));
        var read = await repo.GetByIdAsync(id);

        Assert.NotNull(read);
        Assert.Equal(("police", "Cleveland Police", "police"), (read.Key, read.Name, read.Kind));
        Assert.Equal(id, (await repo.GetByKeyAsync("police"))!.Id);
        Assert.Null(await repo.GetByIdAsync(id + 100));
    }

    [Fact]
    public async Task User_RoundTrip_KeepsEveryField()
    {
        using var db = NewDatabase();
        var agencyId = await db.Get<IAgencyRepository>().CreateAsync(Agency.Create("health", "Health", AgencyKinds.Health));
        var repo = db.Get<IUserRepository>();
        var created = User.Load(0, "health.auditor", "Health auditor", Role.Auditor, agencyId, "hash-value", isDisabled: false,
            failedSignIns: 1, lockoutEndUtc: null, User.NewStamp(), new DateTimeOffset(2026, 11, 1, 9, 30, 0, TimeSpan.Zero));

        var id = await repo.CreateAsync(created);
        var read = await repo.GetByUserNameAsync("HEALTH.AUDITOR");

        Assert.NotNull(id);
        Assert.NotNull(read);
        Assert.Equal(id, read.Id);
        Assert.Equal("Health auditor", read.DisplayName);
        Assert.Equal(Role.Auditor, read.Role);
        Assert.Equal(agencyId, read.AgencyId);
        Assert.Equal("hash-value", read.PasswordHash);
        Assert.Equal(1, read.FailedSignIns);
        Assert.Equal(created.SecurityStamp, read.SecurityStamp);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 9, 30, 0, TimeSpan.Zero), read.CreatedUtc);
    }

    [Fact]
    public async Task Template_RoundTrip_FileToDatabaseToFile_IsIdentical()
    {
        using var db = NewDatabase();
        var json = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Templates, "step-down.json"));
        var template = TemplateJson.Parse(json);

        var versionId = await db.Get<ITemplateRepository>().CreateVersionAsync(template, TemplateStatus.Published, DateTimeOffset.UtcNow);
        var read = await db.Get<ITemplateRepository>().GetVersionAsync(versionId);

        Assert.NotNull(read);
        Assert.Equal(TemplateJson.Write(template), TemplateJson.Write(read));
    }

    [Fact]
    public async Task PublishedTemplateVersion_IsRefusedByTheDatabase()
    {
        using var db = NewDatabase();
        var template = TemplateJson.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Templates, "escalation.json")));
        var versionId = await db.Get<ITemplateRepository>().CreateVersionAsync(template, TemplateStatus.Published, DateTimeOffset.UtcNow);
        using var connection = db.Factory.Open();

        var ex = Assert.ThrowsAny<Exception>(() =>
            connection.Execute("UPDATE template_questions SET text = 'changed' WHERE template_version_id = @versionId", new { versionId }));

        Assert.Contains("cannot be changed", ex.Message);
        Assert.Equal(0, connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM template_questions WHERE text = 'changed'"));
    }

    [Fact]
    public async Task AuditLog_WritesAndReadsNewestFirst()
    {
        using var db = NewDatabase();
        var log = db.Get<IAuditLog>();
        var t0 = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

        await log.WriteAsync(new AuditLogEntry(t0, 1, "admin", "create", "agency", "1", null, "{\"name\":\"A\"}"));
        await log.WriteAsync(new AuditLogEntry(t0.AddMinutes(1), 1, "admin", "update", "agency", "1", "{\"name\":\"A\"}", "{\"name\":\"B\"}"));
        var latest = await log.GetLatestAsync(10);

        Assert.Equal(["update", "create"], latest.Select(e => e.Action));
        Assert.Equal("{\"name\":\"A\"}", latest[0].OldValues);
        Assert.Equal(t0.AddMinutes(1), latest[0].AtUtc);
    }
}

public sealed class RepositoryTestsOnSqlite() : RepositoryTests(DatabaseEngine.Sqlite);

public sealed class RepositoryTestsOnPostgres() : RepositoryTests(DatabaseEngine.Postgres);
