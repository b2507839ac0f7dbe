using System.Data.Common;
using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
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
    public async Task Search_ByAnyoneButAnAdministratorOrScrutineer_IsRefused()
    {
        using var db = NewDatabase();
        foreach (var (name, role, agency) in new[] { ("auditor", Role.Auditor, true), ("manager", Role.Manager, true), ("executive", Role.Executive, false) })
        {
            var agencyId = agency
                ? await db.Get<AuditTool.Domain.Agencies.IAgencyRepository>().CreateAsync(
                    AuditTool.Domain.Agencies.Agency.Create($"agency-{name}", "An agency", AuditTool.Domain.Agencies.AgencyKinds.Police))
                : (long?)null;
            var actor = await db.CreateUserAsync(name, role, agencyId);

            await Assert.ThrowsAsync<AccessDeniedException>(() =>
                db.Get<AuditLogService>().SearchAsync(actor, new AuditLogQuery(null, null, null, null, 0, 10)));
        }
    }

    [Fact]
    public async Task AnAdministrator_SeesWhoWhenAndWhatOfCaseWork_ByAuditCaseAndAgency_NeverTheValues()
    {
        using var s = await ScenarioAsync(cases: 1);
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "partly");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "notes", "Secret answer text about the family");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "overall", "Secret evidence: mother's new partner moved in");
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);
        await s.Returns.ReturnForAmendmentAsync(s.Scrutineer, police, "Secret amendment comment about the school visit");
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var caseId = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Single().Id;
        await s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, s.AuditId, caseId, "overall", "requires-improvement",
            "Secret rationale: the plan ignored the partner");
        string[] secrets = ["Secret answer", "Secret evidence", "Secret amendment", "Secret rationale", "partly", "requires-improvement"];
        var service = s.Db.Get<AuditLogService>();

        var asAdmin = await service.SearchAsync(s.Administrator, new AuditLogQuery(null, null, null, null, 0, AuditLogService.MaxPageSize));
        var asScrutineer = await service.SearchAsync(s.Scrutineer, new AuditLogQuery(null, null, null, null, 0, AuditLogService.MaxPageSize));

        var seenByAdmin = string.Join("\n", asAdmin.Entries.Select(e => $"{e.Subject} {e.EntityId} {e.OldValues} {e.NewValues}"));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, seenByAdmin));
        var evidence = asAdmin.Entries.Single(e => e.Entity == "evidence");
        Assert.True(evidence.ValuesHidden);
        Assert.Equal("Escalation audit · case C-001 · Cleveland Police · question overall", evidence.Subject);
        Assert.All(asAdmin.Entries.Where(e => e.Entity is "answer" or "evidence" or "moderation" || e.Action == "return-for-amendment"),
            e => Assert.True(e.ValuesHidden));
        Assert.Contains(asAdmin.Entries, e => e.Action == "submit" && e.Subject == "Escalation audit · case C-001 · Cleveland Police" && e.NewValues == "submitted");
        Assert.Contains(asAdmin.Entries, e => e.Entity == "moderation" && e.Subject == "Escalation audit · case C-001 · question overall");
        var seenByScrutineer = string.Join("\n", asScrutineer.Entries.Select(e => $"{e.OldValues} {e.NewValues}"));
        Assert.All(secrets, secret => Assert.Contains(secret, seenByScrutineer));
    }

    [Fact]
    public async Task EveryLogLineOfCaseContent_IsMarkedAsSuch_WhicheverPathWroteIt()
    {
        using var s = await ScenarioAsync(cases: 1);
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "yes");
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "seen-alone", "Seen at home");
        var workbook = Path.Combine(s.Db.Folder, "police.xlsx");
        await using (var file = File.Create(workbook))
        {
            await s.Db.Get<AuditTool.Domain.Workbooks.WorkbookService>().DownloadAsync(s.PoliceAuditor, s.AuditId, "police", file);
        }

        using (var book = new ClosedXML.Excel.XLWorkbook(workbook))
        {
            var sheet = book.Worksheet("C-001");
            var row = sheet.Column(2).CellsUsed().First(c => c.GetString() == "overall").Address.RowNumber;
            sheet.Cell(row, 8).SetValue("Good");
            sheet.Cell(row, 9).SetValue("Workbook evidence about the child");
            book.Save();
        }

        await using (var file = File.OpenRead(workbook))
        {
            await s.Db.Get<AuditTool.Domain.Workbooks.WorkbookService>().UploadAsync(s.PoliceAuditor, file, "police.xlsx", overwrite: false);
        }

        using var connection = s.Db.Factory.Open();
        var lines = connection.Query<(string Action, string Entity, long CaseContent, string? CaseRef)>(
            "SELECT action, entity, case_content, case_ref FROM audit_log WHERE entity IN ('answer', 'evidence')").ToList();
        Assert.Contains(lines, l => l.Action == "update-from-workbook");
        Assert.All(lines, l => Assert.Equal(1, l.CaseContent));
        Assert.All(lines, l => Assert.Equal("C-001", l.CaseRef));
        var page = await s.Db.Get<AuditLogService>().SearchAsync(s.Administrator, new AuditLogQuery(null, "evidence", null, null, 0, 50));
        Assert.DoesNotContain(page.Entries, e => (e.NewValues ?? "").Contains("Workbook evidence"));
    }
}

public sealed class AuditLogTestsOnSqlite() : AuditLogTests(DatabaseEngine.Sqlite);

public sealed class AuditLogTestsOnPostgres() : AuditLogTests(DatabaseEngine.Postgres);
