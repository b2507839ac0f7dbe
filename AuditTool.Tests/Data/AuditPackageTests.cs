using AuditTool.Data;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Packages;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

public abstract class AuditPackageTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static async Task<string> ExportAsync(AuditScenario s, long auditId)
    {
        using var stream = new MemoryStream();
        await s.Db.Get<AuditPackageService>().ExportAsync(s.Scrutineer, auditId, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Task<long> ImportAsync(AuditScenario s, string json) =>
        s.Db.Get<AuditPackageService>().ImportAsync(s.Scrutineer, new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    private async Task<AuditScenario> AnsweredAsync()
    {
        var s = await ScenarioAsync();
        var police1 = await s.ReturnIdAsync("C-001", s.PoliceId);
        var education1 = await s.ReturnIdAsync("C-001", s.EducationId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police1, "seen-alone", "partly");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police1, "voice", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police1, "days", "12.5");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police1, "partners", new List<string> { "police", "school" });
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police1, "overall", "good");
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police1, "overall", "=HYPERLINK(\"x\") and a \"quote\", newline\nhere");
        await s.Returns.SubmitAsync(s.PoliceAuditor, police1);
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education1, "attendance", "na");
        await s.Returns.SaveEvidenceAsync(s.EducationAuditor, education1, "attendance", "Home educated since May.");
        return s;
    }

    [Fact]
    public async Task AnImportDatedInThePast_DatesTheAuditsOwnRowsThen_ItsLogLineNow_AndOneDatedInTheFutureIsRefused()
    {
        using var s = await AnsweredAsync();
        var json = (await ExportAsync(s, s.AuditId)).Replace("\"title\": \"Escalation audit\"", "\"title\": \"Escalation audit (history)\"")
            .Replace("\"status\": \"open\"", "\"status\": \"published\"");
        var packages = s.Db.Get<AuditPackageService>();
        var then = new DateTimeOffset(2024, 7, 21, 10, 0, 0, TimeSpan.Zero);

        await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() =>
            packages.ImportAsync(s.Scrutineer, new MemoryStream(Encoding.UTF8.GetBytes(json)), "future.json", DateTimeOffset.UtcNow.AddDays(1)));
        var id = await packages.ImportAsync(s.Scrutineer, new MemoryStream(Encoding.UTF8.GetBytes(json)), "history.json", then);

        var audit = (await s.Db.Get<IAuditRepository>().GetByIdAsync(id))!;
        Assert.Equal((then, then), (audit.CreatedUtc, audit.PublishedUtc!.Value));
        Assert.All((await s.Db.Get<IAuditRepository>().GetReturnsAsync(id)).Where(r => r.SubmittedUtc is not null), r => Assert.Equal(then, r.SubmittedUtc));
        var line = (await s.Db.Get<AuditTool.Domain.Logging.AuditLogService>().SearchAsync(s.Administrator,
            new AuditTool.Domain.Logging.AuditLogQuery(null, "audit", null, null, 0, 5))).Entries.First(e => e.Action == "import");
        Assert.True(line.AtUtc > DateTimeOffset.UtcNow.AddMinutes(-5), $"The import's log line is dated {line.AtUtc}.");
    }

    [Fact]
    public async Task APublishedAudit_CarriesWhenItWasPublished_AndAnImportKeepsIt_WhileAFutureOneOrOneOnAnOpenAuditIsRefused()
    {
        using var s = await AnsweredAsync();
        var then = new DateTimeOffset(2025, 1, 21, 10, 0, 0, TimeSpan.Zero);
        var packages = s.Db.Get<AuditPackageService>();
        var source = (await ExportAsync(s, s.AuditId)).Replace("\"title\": \"Escalation audit\"", "\"title\": \"Escalation audit (moved)\"");
        var published = source.Replace("\"status\": \"open\"", $"\"status\": \"published\",\n    \"published\": \"{AuditPackageService.Moment(then)}\"");

        var id = await ImportAsync(s, published);
        Assert.Equal(then, (await s.Db.Get<IAuditRepository>().GetByIdAsync(id))!.PublishedUtc);
        // Exported again, it says the same.
        Assert.Contains($"\"published\": \"{AuditPackageService.Moment(then)}\"", await ExportAsync(s, id));

        var future = published.Replace("(moved)", "(future)").Replace(AuditPackageService.Moment(then), AuditPackageService.Moment(DateTimeOffset.UtcNow.AddDays(2)));
        var problem = await Assert.ThrowsAsync<AuditPackageException>(() => ImportAsync(s, future));
        Assert.Contains("$.audit.published: the time of publication is in the future.", problem.Problems);
        var open = source.Replace("(moved)", "(open)").Replace("\"status\": \"open\"", $"\"status\": \"open\",\n    \"published\": \"{AuditPackageService.Moment(then)}\"");
        problem = await Assert.ThrowsAsync<AuditPackageException>(() => ImportAsync(s, open));
        Assert.Contains(problem.Problems, p => p.StartsWith("$.audit.published: only a published or closed audit", StringComparison.Ordinal));
        Assert.Empty(await s.Db.Get<AuditTool.Domain.Packages.IAuditPackageStore>().FindAuditsByTitleAsync("Escalation audit (future)"));
    }

    [Fact]
    public async Task ExportThenImport_ReproducesTheAudit()
    {
        using var s = await AnsweredAsync();
        var json = await ExportAsync(s, s.AuditId);
        var renamed = json.Replace("\"title\": \"Escalation audit\"", "\"title\": \"Escalation audit (copy)\"");

        var copyId = await ImportAsync(s, renamed);
        var again = await ExportAsync(s, copyId);

        Assert.Equal(renamed, again);
        var repo = s.Db.Get<IAuditRepository>();
        Assert.Equal(["C-001", "C-002", "C-003"], (await repo.GetCasesAsync(copyId)).Select(c => c.Ref));
        var returns = await repo.GetReturnsAsync(copyId);
        Assert.Equal(6, returns.Count);
        var police1 = returns.Single(r => r.CaseRef == "C-001" && r.AgencyId == s.PoliceId);
        Assert.Equal(ReturnStatuses.Submitted, police1.Status);
        var answers = (await repo.GetAnswersAsync(police1.Id)).ToDictionary(a => a.QuestionKey);
        Assert.Equal("12.5", answers["days"].Value);
        Assert.Equal("[\"police\",\"school\"]", answers["partners"].Value);
        Assert.Equal("=HYPERLINK(\"x\") and a \"quote\", newline\nhere", answers["overall"].Evidence);
    }

    [Fact]
    public async Task Export_HasTheDocumentedShape()
    {
        using var s = await AnsweredAsync();

        var doc = JsonNode.Parse(await ExportAsync(s, s.AuditId))!;

        Assert.Equal("audittool.audit/v1", (string?)doc["format"]);
        Assert.Equal("multi-agency", (string?)doc["audit"]!["kind"]);
        Assert.Equal(0.8, (double)doc["audit"]!["thresholds"]!["strength"]!);
        Assert.Equal("audittool.template/v1", (string?)doc["template"]!["format"]);
        Assert.Equal(["education", "police"], doc["agencies"]!.AsArray().Select(a => (string)a!["key"]!).Order());
        var first = doc["returns"]!.AsArray().First(r => (string?)r!["case"] == "C-001" && (string?)r!["agency"] == "police")!;
        Assert.Equal(12.5, (double)first["answers"]!["days"]!);
        Assert.Equal(["police", "school"], first["answers"]!["partners"]!.AsArray().Select(x => (string)x!));
    }

    [Fact]
    public async Task InvalidPackage_ReportsEveryProblemWithItsPath_AndChangesNothing()
    {
        using var s = await AnsweredAsync();
        var doc = JsonNode.Parse(await ExportAsync(s, s.AuditId))!;
        doc["cases"]!.AsArray().Add(new JsonObject { ["ref"] = "C-001" });
        var returns = doc["returns"]!.AsArray();
        returns[0]!["answers"]!["no-such-question"] = "yes";
        returns[0]!["answers"]!["seen-alone"] = "sometimes";
        returns[1]!["agency"] = "navy";
        var education = returns.First(r => (string?)r!["agency"] == "education")!;
        education["answers"]!["attendance"] = "yes";
        var police2 = returns.First(r => (string?)r!["case"] == "C-002" && (string?)r!["agency"] == "police")!;
        police2["answers"]!["attendance"] = "yes";
        doc["moderation"]!.AsArray().Add(new JsonObject { ["case"] = "C-404", ["question"] = "overall", ["value"] = "good" });
        using var connection = s.Db.Factory.Open();
        var before = connection.ExecuteScalar<long>("SELECT (SELECT COUNT(*) FROM audits) + (SELECT COUNT(*) FROM answers) + (SELECT COUNT(*) FROM agencies)");

        var ex = await Assert.ThrowsAsync<AuditPackageException>(() => ImportAsync(s, doc.ToJsonString()));

        Assert.Contains(ex.Problems, p => p.StartsWith("$.cases[3].ref: duplicate case \"C-001\""));
        Assert.Contains(ex.Problems, p => p.StartsWith("$.returns[0].answers.no-such-question: the template has no question"));
        Assert.Contains(ex.Problems, p => p.StartsWith("$.returns[0].answers.seen-alone: \"sometimes\" is not one of its options"));
        Assert.Contains(ex.Problems, p => p.StartsWith("$.returns[1].agency: \"navy\" is not one of the package's agencies"));
        Assert.Contains(ex.Problems, p => p.Contains(".answers.attendance: this question is not shown"));
        Assert.Contains(ex.Problems, p => p.StartsWith("$.moderation[0].case: \"C-404\""));
        var after = connection.ExecuteScalar<long>("SELECT (SELECT COUNT(*) FROM audits) + (SELECT COUNT(*) FROM answers) + (SELECT COUNT(*) FROM agencies)");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Import_ThatFailsInTheDatabaseHalfWay_LeavesNoRowBehind()
    {
        using var s = await AnsweredAsync();
        var doc = JsonNode.Parse(await ExportAsync(s, s.AuditId))!;
        doc["audit"]!["title"] = "Fails late";
        // Valid for the checks, refused by the database at its last answer: the failure comes after audit, cases,
        // returns and most answers were written in the import's transaction.
        var last = doc["returns"]!.AsArray().Last()!;
        last["evidence"]!["overall"] = "refused by the database";
        last["answers"]!["overall"] ??= "good";
        using var connection = s.Db.Factory.Open();
        connection.Execute(Engine == DatabaseEngine.Sqlite
            ? "CREATE TRIGGER fail_late BEFORE INSERT ON answers WHEN NEW.evidence = 'refused by the database' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            : """
              CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.evidence = 'refused by the database' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER fail_late BEFORE INSERT ON answers FOR EACH ROW EXECUTE FUNCTION fail_late();
              """);
        const string counts = """
            SELECT (SELECT COUNT(*) FROM audits) || '/' || (SELECT COUNT(*) FROM audit_cases) || '/' || (SELECT COUNT(*) FROM agency_returns)
                || '/' || (SELECT COUNT(*) FROM answers) || '/' || (SELECT COUNT(*) FROM audit_agencies) || '/' || (SELECT COUNT(*) FROM audit_log)
            """;
        var before = connection.ExecuteScalar<string>(counts);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ImportAsync(s, doc.ToJsonString()));

        Assert.Contains("injected failure", ex.Message);
        Assert.Equal(before, connection.ExecuteScalar<string>(counts));
        Assert.DoesNotContain(await s.Planning.ListAsync(s.Scrutineer), a => a.Title == "Fails late");
    }

    [Theory]
    [InlineData("{ not json", "$: the file is not valid JSON")]
    [InlineData("[]", "$: expected an object")]
    [InlineData("{\"format\": \"audittool.audit/v0\"}", "$.format: expected \"audittool.audit/v1\"")]
    [InlineData("{\"audit\": " + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "$: the file is nested deeper than 64 levels (line 1, position 74)")]
    public async Task MalformedPackage_IsRefusedPlainly(string json, string expected)
    {
        using var s = await ScenarioAsync();

        var ex = await Assert.ThrowsAsync<AuditPackageException>(() => ImportAsync(s, json));

        Assert.Contains(ex.Problems, p => p.StartsWith(expected));
        Assert.Single(await s.Planning.ListAsync(s.Scrutineer));
    }

    [Fact]
    public async Task Import_WithATemplateVersionThatDiffersFromTheOneHere_IsRefused()
    {
        using var s = await AnsweredAsync();
        var doc = JsonNode.Parse(await ExportAsync(s, s.AuditId))!;
        doc["template"]!["title"] = "Tampered title";

        var ex = await Assert.ThrowsAsync<AuditPackageException>(() => ImportAsync(s, doc.ToJsonString()));

        Assert.Contains(ex.Problems, p => p.StartsWith("$.template.version: version 1 of \"scenario\" already exists here with different content"));
    }

    [Fact]
    public async Task Import_ByANonScrutineer_IsRefused()
    {
        using var s = await AnsweredAsync();
        var json = await ExportAsync(s, s.AuditId);

        await Assert.ThrowsAsync<AuditTool.Domain.Security.AccessDeniedException>(() =>
            s.Db.Get<AuditPackageService>().ImportAsync(s.PoliceAuditor, new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json"));
        await Assert.ThrowsAsync<AuditTool.Domain.Security.AccessDeniedException>(() =>
            s.Db.Get<AuditPackageService>().ExportAsync(s.Executive, s.AuditId, new MemoryStream()));
    }
}

public sealed class AuditPackageTestsOnSqlite() : AuditPackageTests(DatabaseEngine.Sqlite);

public sealed class AuditPackageTestsOnPostgres() : AuditPackageTests(DatabaseEngine.Postgres);
