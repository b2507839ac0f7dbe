using System.Text;
using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.DataProtection;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

/// <summary>
/// Retention with the clock moved (apply-retention's as-of day): the scrutineers are told 30 days before, case content is
/// destroyed on the day, everywhere (rows, audit log, outbox; the SQLite file's bytes, every PostgreSQL table), the
/// published figures, report and trends stay exactly as they were, a held audit is untouched, a second pass does
/// nothing, and the audit log still verifies.
/// </summary>
public abstract class RetentionTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Evidence1 = "Evidence-note-alpha: the child was seen at the family home with a worker present";
    private const string Evidence2 = "Evidence-note-bravo: school attendance improved after the step-down plan";
    private const string Rationale = "Moderation-rationale-charlie: both agencies described the same escalation";
    private const string Comment = "Amendment-comment-delta: please add the date the plan was reviewed";
    private const string HeldEvidence = "Held-evidence-echo: kept under the inquiry's order";

    private sealed record Published(AuditScenario S, DateOnly PublishedOn);

    private async Task<Published> PublishedAuditAsync(AuditScenario s, string evidence1, string evidence2, string rationale, string comment)
    {
        await s.Db.Get<UserAdminService>().SetEmailAsync(Actor.System, s.Scrutineer.UserId, "scrutineer@partnership.example");
        for (var i = 1; i <= 3; i++)
        {
            var police = await s.ReturnIdAsync($"C-{i:000}", s.PoliceId);
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", i == 3 ? "no" : "yes");
            if (i != 3)
            {
                await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");
            }

            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "notes", $"Free-text-answer-{i}-foxtrot about the case");
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
            await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "seen-alone", i == 1 ? evidence1 : i == 2 ? evidence2 : null);
            Assert.True((await s.Returns.SubmitAsync(s.PoliceAuditor, police)).Submitted);
        }

        var first = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.ReturnForAmendmentAsync(s.Scrutineer, first, comment);
        Assert.True((await s.Returns.SubmitAsync(s.PoliceAuditor, first)).Submitted);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var caseId = (await s.Db.Get<AuditTool.Domain.Audits.IAuditRepository>().GetCasesAsync(s.AuditId)).First(c => c.Ref == "C-001").Id;
        await s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, s.AuditId, caseId, "overall", "good", rationale);
        var findings = s.Db.Get<FindingsService>();
        await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput(FindingKinds.Strength, "Seen alone", "", [], []));
        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        return new Published(s, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    private static async Task<string> KeptFiguresAsync(AuditScenario s)
    {
        using var connection = await s.Db.Factory.OpenAsync();
        return string.Join("\n", await connection.QueryAsync<string>(
            "SELECT audit_id || ':' || figures_json || ':' || COALESCE(baseline_json, '') FROM audit_figures ORDER BY audit_id"));
    }

    private static async Task<Dictionary<long, string>> CaseRefsByIdAsync(AuditScenario s)
    {
        using var connection = await s.Db.Factory.OpenAsync();
        return (await connection.QueryAsync<(long Id, string Ref)>("SELECT id, ref FROM audit_cases WHERE audit_id = @AuditId", new { s.AuditId }))
            .ToDictionary(r => r.Id, r => r.Ref);
    }

    private static string Tokenised(string text, Dictionary<string, string> map) =>
        map.Aggregate(text, (t, p) => t.Replace("\"" + p.Key + "\"", "\"" + p.Value + "\"", StringComparison.Ordinal));

    private static async Task<string> TrendsAsync(AuditScenario s) =>
        System.Text.Json.JsonSerializer.Serialize(await s.Db.Get<TrendsService>().GetAsync(s.Executive));

    /// <summary>What the report shows of the figures (the Word report's and the published page's numbers).</summary>
    private static async Task<string> WordFiguresAsync(AuditScenario s) =>
        System.Text.Json.JsonSerializer.Serialize(await s.Db.Get<ReportService>().GetAsync(s.Executive, s.AuditId));

    private static async Task<string> ShownAsync(AuditScenario s)
    {
        var figures = System.Text.Json.JsonSerializer.Serialize((await s.Db.Get<FiguresService>().GetAsync(s.Executive, s.AuditId)).Figures);
        var trends = System.Text.Json.JsonSerializer.Serialize(await s.Db.Get<TrendsService>().GetAsync(s.Executive));
        return figures + "\n" + trends;
    }

    /// <summary>Every text column of every table, as one text to search (PostgreSQL), or the database file's bytes (SQLite).</summary>
    private async Task<string> EverythingStoredAsync(AuditScenario s)
    {
        if (Engine == DatabaseEngine.Sqlite)
        {
            using (var connection = await s.Db.Factory.OpenAsync())
            {
                await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var bytes = new List<byte>(File.ReadAllBytes(s.Db.Path));
            foreach (var extra in new[] { s.Db.Path + "-wal", s.Db.Path + "-journal" })
            {
                if (File.Exists(extra))
                {
                    bytes.AddRange(File.ReadAllBytes(extra));
                }
            }

            return Encoding.Latin1.GetString(bytes.ToArray());
        }

        using var pg = await s.Db.Factory.OpenAsync();
        var columns = await pg.QueryAsync<(string Table, string Column)>("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')
            """);
        var all = new StringBuilder();
        foreach (var (table, column) in columns)
        {
            foreach (var value in await pg.QueryAsync<string?>($"SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\""))
            {
                all.Append(value).Append('\n');
            }
        }

        return all.ToString();
    }

    /// <summary>Every value of every table but the kept figures (which name the cases of their per-case rows and are
    /// kept byte for byte), as one text.</summary>
    private static async Task<string> TablesButKeptFiguresAsync(AuditScenario s)
    {
        using var connection = await s.Db.Factory.OpenAsync();
        var tables = s.Db.Engine == DatabaseEngine.Sqlite
            ? await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            : await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var all = new StringBuilder();
        foreach (var table in tables.Where(t => t != "audit_figures"))
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\""))
            {
                foreach (var value in row.Values)
                {
                    all.Append(value is byte[] b ? Encoding.UTF8.GetString(b) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return all.ToString();
    }

    private static RetentionService Retention(AuditScenario s) => s.Db.Get<RetentionService>();

    [Fact]
    public async Task Disposal_TellsThirtyDaysBefore_DestroysOnTheDay_AndLeavesThePublishedFiguresAsTheyWere()
    {
        using var scenario = await ScenarioAsync();
        var (s, publishedOn) = await PublishedAuditAsync(scenario, Evidence1, Evidence2, Rationale, Comment);
        var notesDue = publishedOn.AddMonths(12);
        var keptBefore = await KeptFiguresAsync(s);
        var shownBefore = await ShownAsync(s);
        var wordBefore = await WordFiguresAsync(s);
        var trendsBefore = await TrendsAsync(s);
        var tokens = (await CaseRefsByIdAsync(s)).ToDictionary(p => p.Value, p => p.Key);
        var before = await EverythingStoredAsync(s);
        Assert.Contains(Evidence1, before);
        Assert.Contains(Rationale, before);
        Assert.Contains(Comment, before);

        // 31 days before: nothing yet.
        var early = await Retention(s).ApplyAsync(Actor.System, notesDue.AddDays(-31));
        Assert.Empty(early.Noticed);
        Assert.Empty(early.Disposed);

        // 30 days before: the scrutineers are told, with a list; nothing is destroyed.
        var notice = await Retention(s).ApplyAsync(Actor.System, notesDue.AddDays(-30));
        var told = Assert.Single(notice.Noticed);
        Assert.Equal(RetentionStage.Notes, told.Stage);
        Assert.Equal(2, told.Counts.EvidenceNotes);
        Assert.Equal(1, told.Counts.Rationales);
        // The comment went with the resubmission: it is left in the audit log and the amendment notice only.
        Assert.True(told.Counts.LogLinesBlanked >= 4, told.Counts.Describe());
        var message = (await s.Db.Get<IOutboxRepository>().SearchAsync(new OutboxQuery(null, NoticeKinds.RetentionDue, null, 0, 10))).Messages.Single();
        Assert.Equal("scrutineer@partnership.example", message.To);
        Assert.Contains("2 evidence notes", message.TextBody);
        Assert.Contains("1 moderation rationales", message.TextBody);
        Assert.DoesNotContain(Evidence1, message.TextBody);
        Assert.Contains(Evidence1, await EverythingStoredAsync(s));
        // Told once: the next day's pass does not tell again.
        await Retention(s).ApplyAsync(Actor.System, notesDue.AddDays(-29));
        Assert.Equal(1, (await s.Db.Get<IOutboxRepository>().SearchAsync(new OutboxQuery(null, NoticeKinds.RetentionDue, null, 0, 10))).Total);

        // A dry run on the day changes nothing.
        var dry = await Retention(s).ApplyAsync(Actor.System, notesDue, dryRun: true);
        Assert.Equal(2, Assert.Single(dry.Disposed).Counts.EvidenceNotes);
        Assert.Contains(Evidence1, await EverythingStoredAsync(s));

        // On the day: destroyed everywhere.
        var pass = await Retention(s).ApplyAsync(Actor.System, notesDue);
        var done = Assert.Single(pass.Disposed);
        Assert.Equal(2, done.Counts.EvidenceNotes);
        Assert.Equal(1, done.Counts.Rationales);
        Assert.True(done.Counts.LogLinesBlanked >= 4, done.Counts.Describe());
        var after = await EverythingStoredAsync(s);
        foreach (var destroyed in new[] { Evidence1, Evidence2, Rationale, Comment })
        {
            Assert.DoesNotContain(destroyed, after);
        }

        // Answers are not due yet: the free text is still there.
        Assert.Contains("Free-text-answer-1-foxtrot", after);
        Assert.Equal(keptBefore, await KeptFiguresAsync(s));
        Assert.Equal(shownBefore, await ShownAsync(s));

        // The disposal record, and the chain still verifies, saying where it was re-anchored.
        var record = (await s.Db.Get<IAuditLog>().SearchAsync(new AuditLogQuery(null, "audit", null, null, 0, 50, s.AuditId))).Entries
            .Single(l => l.Action == "dispose");
        Assert.Contains("\"evidence notes\":2", record.NewValues);
        Assert.Contains("notes 12 months (default)", record.NewValues);
        var check = await s.Db.Get<AuditLogService>().VerifyAsync(Actor.System);
        Assert.True(check.Intact, check.Message);
        Assert.Contains("Re-anchored by disposal: from entry", check.Message);

        // A second pass does nothing.
        var second = await Retention(s).ApplyAsync(Actor.System, notesDue.AddDays(1));
        Assert.Empty(second.Disposed);
        Assert.Equal(1, (await s.Db.Get<IAuditLog>().SearchAsync(new AuditLogQuery(null, "audit", null, null, 0, 50, s.AuditId))).Entries.Count(l => l.Action == "dispose"));

        // Two years on: case references become tokens, free text goes, the figures stay.
        var answersDue = publishedOn.AddMonths(24);
        var reduce = await Retention(s).ApplyAsync(Actor.System, answersDue);
        var reduced = Assert.Single(reduce.Disposed);
        Assert.Equal(RetentionStage.Answers, reduced.Stage);
        Assert.Equal(3, reduced.Counts.CaseReferences);
        Assert.Equal(3, reduced.Counts.Answers);
        Assert.DoesNotContain("Free-text-answer-1-foxtrot", await EverythingStoredAsync(s));
        var tables = await TablesButKeptFiguresAsync(s);
        Assert.DoesNotContain("Free-text-answer-1-foxtrot", tables);
        Assert.DoesNotContain("C-001", tables);
        Assert.DoesNotContain("C-002", tables);
        // The kept figures name the cases by their tokens now: nowhere in the database is a case reference left, and
        // every figure is what it was (the same figures with each reference read as its token).
        Assert.Equal(1, reduced.Counts.KeptFiguresPseudonymised);
        var everything = await EverythingStoredAsync(s);
        foreach (var caseRef in tokens.Keys)
        {
            Assert.DoesNotContain(caseRef, everything);
        }

        var tokensNow = await CaseRefsByIdAsync(s);
        var map = tokens.ToDictionary(t => t.Key, t => tokensNow[t.Value]);
        Assert.All(map.Values, t => Assert.StartsWith("disposed-", t, StringComparison.Ordinal));
        Assert.Equal(Tokenised(keptBefore, map), await KeptFiguresAsync(s));
        Assert.Equal(Tokenised(shownBefore, map), await ShownAsync(s));
        Assert.Equal(wordBefore, await WordFiguresAsync(s));
        Assert.Equal(trendsBefore, await TrendsAsync(s));
        Assert.True((await s.Db.Get<AuditLogService>().VerifyAsync(Actor.System)).Intact);
        Assert.Empty((await Retention(s).ApplyAsync(Actor.System, answersDue.AddDays(3))).Disposed);
    }

    [Fact]
    public async Task ConcernTexts_AreDestroyedWithTheNotes_TheConcernsAndTheirCountsKept()
    {
        const string Description = "Concern-description-golf: bruising seen and not explained at the last visit";
        const string Told = "Concern-told-hotel: the duty social worker by telephone";
        const string ActionTaken = "Concern-action-india: referred to the front door the same day";
        const string HeldDescription = "Concern-description-juliet: kept under the inquiry's order";
        using var scenario = await ScenarioAsync();
        var (s, publishedOn) = await PublishedAuditAsync(scenario, Evidence1, Evidence2, Rationale, Comment);
        await s.Db.Get<UserAdminService>().SetSafeguardingLeadAsync(Actor.System, s.PoliceManager.UserId, true);
        var cases = await s.Db.Get<AuditTool.Domain.Audits.IAuditRepository>().GetCasesAsync(s.AuditId);
        var concerns = s.Db.Get<AuditTool.Domain.Concerns.ConcernService>();
        var id = await concerns.RaiseAsync(s.Scrutineer, s.AuditId, cases.First(c => c.Ref == "C-002").Id, Description, Told);
        await concerns.AcknowledgeAsync(s.PoliceManager, id);
        await concerns.RecordActionAsync(s.PoliceManager, id, ActionTaken);
        await concerns.RaiseAsync(s.Scrutineer, s.AuditId, cases.First(c => c.Ref == "C-001").Id, HeldDescription, "");
        await Retention(s).PlaceHoldAsync(s.Scrutineer, null, "C-001", "Inquiry order 2027/14");
        var countsBefore = System.Text.Json.JsonSerializer.Serialize(await concerns.GetFiguresAsync(s.Scrutineer, s.AuditId));
        var reportBefore = await WordFiguresAsync(s);
        var stored = await EverythingStoredAsync(s);
        Assert.Contains(Description, stored);
        Assert.Contains(ActionTaken, stored);

        var pass = await Retention(s).ApplyAsync(Actor.System, publishedOn.AddMonths(12));

        Assert.Equal(1, Assert.Single(pass.Disposed).Counts.ConcernTexts);
        var after = await EverythingStoredAsync(s);
        foreach (var destroyed in new[] { Description, Told, ActionTaken })
        {
            Assert.DoesNotContain(destroyed, after);
        }

        Assert.Contains(HeldDescription, after);
        var kept = await concerns.GetAsync(s.Scrutineer, id);
        Assert.Equal(AuditTool.Domain.Concerns.ConcernStates.ActionRecorded, kept.Concern.State);
        Assert.Equal(countsBefore, System.Text.Json.JsonSerializer.Serialize(await concerns.GetFiguresAsync(s.Scrutineer, s.AuditId)));
        Assert.Equal(reportBefore, await WordFiguresAsync(s));
        Assert.True((await s.Db.Get<AuditLogService>().VerifyAsync(Actor.System)).Intact);
    }

    [Fact]
    public async Task AHeldAudit_IsUntouched_AndTheSkipIsSaid()
    {
        using var scenario = await ScenarioAsync();
        var (s, publishedOn) = await PublishedAuditAsync(scenario, HeldEvidence, Evidence2, Rationale, Comment);
        await Retention(s).PlaceHoldAsync(s.Scrutineer, s.AuditId, null, "Inquiry order 2027/14: keep every record");
        var before = await KeptFiguresAsync(s);

        var pass = await Retention(s).ApplyAsync(Actor.System, publishedOn.AddMonths(25));

        Assert.Empty(pass.Disposed);
        Assert.Contains(pass.Skipped, k => k.AuditId == s.AuditId && k.What.Contains("Inquiry order 2027/14", StringComparison.Ordinal));
        var stored = await EverythingStoredAsync(s);
        Assert.Contains(HeldEvidence, stored);
        Assert.Contains(Rationale, stored);
        Assert.Contains("C-001", stored);
        Assert.Equal(before, await KeptFiguresAsync(s));
        var hold = Assert.Single(await Retention(s).GetHoldsAsync(s.Administrator));
        Assert.Equal("scrutineer", hold.PlacedBy);
        Assert.Contains((await s.Db.Get<IAuditLog>().SearchAsync(new AuditLogQuery(null, "legal-hold", null, null, 0, 10))).Entries, l => l.Action == "place-hold");
    }

    [Fact]
    public async Task AHeldCase_IsKept_WhileTheRestOfTheAuditIsDestroyed()
    {
        using var scenario = await ScenarioAsync();
        var (s, publishedOn) = await PublishedAuditAsync(scenario, HeldEvidence, Evidence2, Rationale, Comment);
        await Retention(s).PlaceHoldAsync(s.Administrator, null, "C-001", "Subject access request under review");

        var pass = await Retention(s).ApplyAsync(Actor.System, publishedOn.AddMonths(12));

        Assert.Equal(1, Assert.Single(pass.Disposed).Counts.EvidenceNotes);
        Assert.Contains(pass.Skipped, k => k.What.Contains("C-001", StringComparison.Ordinal));
        var stored = await EverythingStoredAsync(s);
        Assert.Contains(HeldEvidence, stored);
        Assert.Contains(Rationale, stored);
        Assert.DoesNotContain(Evidence2, stored);
        Assert.True((await s.Db.Get<AuditLogService>().VerifyAsync(Actor.System)).Intact);
        Assert.DoesNotContain((await Retention(s).ApplyAsync(Actor.System, publishedOn.AddMonths(12).AddDays(1))).Disposed, d => d.Counts.Total > 0);
    }

    [Fact]
    public async Task Policy_IsChangedByAScrutineer_Logged_AndRefusedToOthers()
    {
        using var s = await ScenarioAsync();

        await Retention(s).SetPolicyAsync(s.Scrutineer, s.AuditId, 6, 18);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Retention(s).SetPolicyAsync(s.Administrator, s.AuditId, 1, 1));
        await Assert.ThrowsAsync<DomainValidationException>(() => Retention(s).SetPolicyAsync(s.Scrutineer, s.AuditId, 12, 6));
        await Assert.ThrowsAsync<DomainValidationException>(() => Retention(s).SetPolicyAsync(s.Scrutineer, s.AuditId, 0, 6));

        var audit = (await Retention(s).GetAuditsAsync(s.Scrutineer)).Single(a => a.Id == s.AuditId);
        Assert.Equal(6, audit.NotesMonths);
        Assert.Equal(18, audit.AnswersMonths);
        Assert.Contains((await s.Db.Get<IAuditLog>().SearchAsync(new AuditLogQuery(null, "audit", null, null, 0, 50, s.AuditId))).Entries,
            l => l.Action == "set-retention" && l.NewValues!.Contains("\"notesMonths\":6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyRetentionVerb_DryRunChangesNothing_ThenDisposes()
    {
        using var scenario = await ScenarioAsync();
        var (s, publishedOn) = await PublishedAuditAsync(scenario, Evidence1, Evidence2, Rationale, Comment);
        var day = publishedOn.AddMonths(12).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var (badCode, _, badErr) = await RunAsync("apply-retention", "--db", s.Db.Location, "--as-of", "31/12/2027");
        var (dryCode, dryOut, _) = await RunAsync("apply-retention", "--db", s.Db.Location, "--as-of", day, "--dry-run");
        var afterDry = await TablesButKeptFiguresAsync(s);
        var (code, output, err) = await RunAsync("apply-retention", "--db", s.Db.Location, "--as-of", day);
        var (againCode, again, _) = await RunAsync("apply-retention", "--db", s.Db.Location, "--as-of", day);

        Assert.Equal(2, badCode);
        Assert.Contains("write it as yyyy-MM-dd", badErr);
        Assert.Equal(0, dryCode);
        Assert.Contains("dry run: nothing changed", dryOut);
        Assert.Contains("would destroy audit", dryOut);
        Assert.Contains("2 evidence notes", dryOut);
        Assert.Contains(Evidence1, afterDry);
        Assert.True(code == 0, err);
        Assert.Contains($"destroyed audit {s.AuditId}", output);
        Assert.DoesNotContain(Evidence1, await TablesButKeptFiguresAsync(s));
        Assert.Equal(0, againCode);
        Assert.Contains("nothing is due", again);
        var (verifyCode, verified, _) = await RunAsync("verify-audit-log", "--db", s.Db.Location);
        Assert.Equal(0, verifyCode);
        Assert.Contains("Re-anchored by disposal", verified);
    }

    [Fact]
    public async Task HoldVerbs_PlaceAndRelease_AndWhileHeldTheAuditIsNotDisposedOf()
    {
        using var scenario = await ScenarioAsync();
        var (s, publishedOn) = await PublishedAuditAsync(scenario, Evidence1, Evidence2, Rationale, Comment);
        var day = publishedOn.AddMonths(12).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var (noReason, _, noReasonErr) = await RunAsync("hold", s.AuditId.ToString(), "--db", s.Db.Location);
        var (noAudit, _, noAuditErr) = await RunAsync("hold", "999", "--db", s.Db.Location, "--reason", "Inquiry order 14");
        var (noCase, _, noCaseErr) = await RunAsync("hold", s.AuditId.ToString(), "--case", "ZZ-999", "--db", s.Db.Location, "--reason", "Inquiry order 14");
        var (held, heldOut, heldErr) = await RunAsync("hold", s.AuditId.ToString(), "--db", s.Db.Location, "--reason", "Inquiry order 14");
        var (listed, listOut, _) = await RunAsync("release-hold", "--db", s.Db.Location);
        var (skipped, skipOut, _) = await RunAsync("apply-retention", "--db", s.Db.Location, "--as-of", day);
        var stillThere = await TablesButKeptFiguresAsync(s);
        var holdId = System.Text.RegularExpressions.Regex.Match(heldOut, @"hold (\d+) placed").Groups[1].Value;
        var (released, releasedOut, releasedErr) = await RunAsync("release-hold", holdId, "--db", s.Db.Location, "--reason", "Order lifted");
        var (disposed, disposedOut, _) = await RunAsync("apply-retention", "--db", s.Db.Location, "--as-of", day);

        Assert.Equal(2, noReason);
        Assert.Contains("Give the reason for the hold", noReasonErr);
        Assert.Equal(2, noAudit);
        Assert.Contains("there is no audit 999", noAuditErr);
        Assert.Equal(2, noCase);
        Assert.Contains("has no case 'ZZ-999'", noCaseErr);
        Assert.True(held == 0, heldErr);
        Assert.Equal(0, listed);
        Assert.Contains("1 hold in place", listOut);
        Assert.Contains("Inquiry order 14", listOut);
        Assert.Equal(0, skipped);
        Assert.Contains("skipped audit", skipOut);
        Assert.Contains(Evidence1, stillThere);
        Assert.True(released == 0, releasedErr);
        Assert.Contains($"hold {holdId} released", releasedOut);
        Assert.Equal(0, disposed);
        Assert.Contains($"destroyed audit {s.AuditId}", disposedOut);
        Assert.DoesNotContain(Evidence1, await TablesButKeptFiguresAsync(s));
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AuditTool.Web.Cli.CommandLine.RunAsync(args, stdout, stderr, new StringReader(""));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task TheLogGuard_StillRefusesAnyOtherChange()
    {
        using var s = await ScenarioAsync();
        using var connection = await s.Db.Factory.OpenAsync();

        var ex = await Record.ExceptionAsync(() => connection.ExecuteAsync("UPDATE audit_log SET old_values = NULL WHERE id = (SELECT MIN(id) FROM audit_log)"));
        Assert.NotNull(ex);
        Assert.Contains("append-only", ex!.Message);
    }
}

public sealed class RetentionTestsOnSqlite() : RetentionTests(DatabaseEngine.Sqlite);

public sealed class RetentionTestsOnPostgres() : RetentionTests(DatabaseEngine.Postgres);
