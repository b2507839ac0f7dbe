using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.DataProtection;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

/// <summary>
/// Subject access and the disclosure record: find-case lists every item held about one case reference, across audits,
/// and nothing about any other case (not even one whose reference starts the same); each reveal of another agency's
/// return and each export of the case file is in the case's disclosure record.
/// </summary>
public abstract class CaseFileTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private sealed record Built(AuditScenario S, long SecondAuditId, long PoliceReturn);

    private static async Task<Built> TwoAuditsAsync(AuditScenario s)
    {
        foreach (var (caseRef, mark) in new[] { ("C-001", "mine"), ("C-002", "other") })
        {
            foreach (var (agency, auditor) in new[] { (s.PoliceId, s.PoliceAuditor), (s.EducationId, s.EducationAuditor) })
            {
                var id = await s.ReturnIdAsync(caseRef, agency);
                await s.Returns.SaveAnswerAsync(auditor, id, "seen-alone", "yes");
                await s.Returns.SaveAnswerAsync(auditor, id, "voice", "yes");
                await s.Returns.SaveAnswerAsync(auditor, id, "overall", "good");
                if (agency == s.EducationId)
                {
                    await s.Returns.SaveAnswerAsync(auditor, id, "attendance", "yes");
                }

                await s.Returns.SaveAnswerAsync(auditor, id, "notes", $"Answer-{mark}-{agency} free text");
                await s.Returns.SaveEvidenceAsync(auditor, id, "seen-alone", $"Evidence-{mark}-{agency} note");
                Assert.True((await s.Returns.SubmitAsync(auditor, id)).Submitted);
            }
        }

        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var cases = await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId);
        var moderation = s.Db.Get<ModerationService>();
        await moderation.SaveAsync(s.Scrutineer, s.AuditId, cases.Single(c => c.Ref == "C-001").Id, "overall", "good", "Rationale-mine");
        await moderation.SaveAsync(s.Scrutineer, s.AuditId, cases.Single(c => c.Ref == "C-002").Id, "overall", "good", "Rationale-other");
        var findings = s.Db.Get<FindingsService>();
        var finding = await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput(FindingKinds.Strength, "Seen alone", "", [], []));
        var policeReturn = await s.ReturnIdAsync("C-001", s.PoliceId);
        await findings.AddQuoteAsync(s.Scrutineer, s.AuditId, finding, "Quote-mine", policeReturn, "seen-alone");
        await findings.AddQuoteAsync(s.Scrutineer, s.AuditId, finding, "Quote-other", await s.ReturnIdAsync("C-002", s.PoliceId), "seen-alone");
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Action-mine: review case C-001 with the school", s.PoliceId, null, ActionStatuses.Open, null));
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Action-other: review case C-0012 and C-002", s.PoliceId, null, ActionStatuses.Open, null));

        var concerns = s.Db.Get<AuditTool.Domain.Concerns.ConcernService>();
        await concerns.RaiseAsync(s.Scrutineer, s.AuditId, cases.Single(c => c.Ref == "C-001").Id, "Concern-mine: bruising not explained", "Told-mine: the duty social worker");
        await concerns.RaiseAsync(s.Scrutineer, s.AuditId, cases.Single(c => c.Ref == "C-002").Id, "Concern-other: missed appointments", "Told-other: the school nurse");
        var second = await s.Planning.CreateAsync(s.Scrutineer,
            new AuditPlan("Follow-up", AuditKinds.MultiAgency, "Purpose", "All", AuditScenario.Deadline, Thresholds.Default),
            s.TemplateVersionId, [s.PoliceId], confirmPastDate: true);
        await s.Planning.AddCaseAsync(s.Scrutineer, second, "C-001");
        await s.Planning.AddCaseAsync(s.Scrutineer, second, "C-0012");
        await s.Planning.OpenAsync(s.Scrutineer, second, confirmPastDate: true);
        var returns = await s.Db.Get<IAuditRepository>().GetReturnsAsync(second);
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, returns.Single(r => r.CaseRef == "C-001").Id, "seen-alone", "Evidence-mine-second");
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, returns.Single(r => r.CaseRef == "C-0012").Id, "seen-alone", "Evidence-other-prefix");
        return new Built(s, second, policeReturn);
    }

    [Fact]
    public async Task FindCase_ListsEveryItemOfTheCase_AndNothingOfAnyOther()
    {
        using var scenario = await ScenarioAsync();
        var (s, second, _) = await TwoAuditsAsync(scenario);

        var file = await s.Db.Get<CaseFileService>().FindAsync(s.Scrutineer, "C-001");

        var texts = file.Items.Select(i => $"{i.Kind}|{i.Where}|{i.Text}").ToList();
        var all = string.Join("\n", texts);
        Assert.Equal([s.AuditId, second], file.Items.Where(i => i.Kind == CaseFile.Kinds.Case).Select(i => i.AuditId!.Value).Order());
        Assert.Equal(3, file.Items.Count(i => i.Kind == CaseFile.Kinds.Return));
        foreach (var expected in new[] { $"Evidence-mine-{s.PoliceId} note", $"Evidence-mine-{s.EducationId} note", "Evidence-mine-second",
                     $"Answer-mine-{s.PoliceId} free text", "Rationale-mine", "Quote-mine", "Action-mine: review case C-001",
                     "Concern-mine: bruising not explained", "Told-mine: the duty social worker" })
        {
            Assert.Contains(expected, all);
        }

        Assert.Contains(file.Items, i => i.Kind == CaseFile.Kinds.Log && i.Text!.Contains("Evidence-mine-second", StringComparison.Ordinal));
        Assert.Contains(file.Items, i => i.Kind == CaseFile.Kinds.Log && i.Where.Contains("add-case", StringComparison.Ordinal));
        Assert.DoesNotContain("other", all, StringComparison.Ordinal);
        Assert.DoesNotContain("C-002", all, StringComparison.Ordinal);
        Assert.DoesNotContain("C-0012", all, StringComparison.Ordinal);
        Assert.Equal("audittool.case-file/v1", System.Text.Json.JsonDocument.Parse(file.ToJson()).RootElement.GetProperty("format").GetString());
        var concern = Assert.Single(file.Items, i => i.Kind == CaseFile.Kinds.Concern);
        Assert.Contains("raised by scrutineer", concern.Where, StringComparison.Ordinal);
        var exported = System.Text.Encoding.UTF8.GetString(file.ToJson());
        Assert.Contains("Concern-mine: bruising not explained", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("Concern-other", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("Told-other", exported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindCase_IsForScrutineersOnly_AndNeedsAReference()
    {
        using var s = await ScenarioAsync();
        var cases = s.Db.Get<CaseFileService>();

        await Assert.ThrowsAsync<AccessDeniedException>(() => cases.FindAsync(s.Administrator, "C-001"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => cases.FindAsync(s.PoliceAuditor, "C-001"));
        await Assert.ThrowsAsync<DomainValidationException>(() => cases.FindAsync(s.Scrutineer, "  "));
    }

    [Fact]
    public async Task DisclosureRecord_ListsEachRevealAndExport_OfThatCaseOnly()
    {
        using var scenario = await ScenarioAsync();
        var (s, _, policeReturn) = await TwoAuditsAsync(scenario);

        var seen = await s.Returns.GetCaseReturnsAsync(s.PoliceAuditor, policeReturn);
        await s.Returns.GetCaseReturnsAsync(s.PoliceAuditor, policeReturn);
        await s.Db.Get<CaseFileService>().ExportAsync(s.Scrutineer, "C-001");

        Assert.Equal(2, seen.Count);
        var record = await s.Db.Get<DisclosureService>().GetByCaseAsync(s.Scrutineer, "C-001");
        var reveals = record.Where(d => d.Kind == DisclosureKinds.Reveal).ToList();
        Assert.Equal(2, reveals.Count);
        Assert.All(reveals, d =>
        {
            Assert.Equal("police.auditor", d.UserName);
            Assert.Equal("Schools", d.Agency);
            Assert.Equal(s.AuditId, d.AuditId);
        });
        var export = Assert.Single(record, d => d.Kind == DisclosureKinds.Export && d.AuditId == s.AuditId);
        Assert.Equal("scrutineer", export.UserName);
        Assert.DoesNotContain(await s.Db.Get<DisclosureService>().GetByCaseAsync(s.Scrutineer, "C-002"), d => d.Kind == DisclosureKinds.Reveal);
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Db.Get<DisclosureService>().GetByCaseAsync(s.PoliceManager, "C-001"));
        // Exports with case-level data: the Excel workbook (Responses sheet) and the audit package.
        using (var xlsx = new MemoryStream())
        {
            await s.Db.Get<AuditTool.Domain.Exports.ExportService>().ExportXlsxAsync(s.Scrutineer, s.AuditId, xlsx);
        }

        using (var package = new MemoryStream())
        {
            await s.Db.Get<AuditTool.Domain.Packages.AuditPackageService>().ExportAsync(s.Scrutineer, s.AuditId, package);
        }

        var exports = (await s.Db.Get<DisclosureService>().GetByCaseAsync(s.Scrutineer, "C-001")).Where(d => d.Kind == DisclosureKinds.Export).Select(d => d.What).ToList();
        Assert.Contains(exports, w => w.StartsWith("Excel workbook of", StringComparison.Ordinal));
        Assert.Contains(exports, w => w.StartsWith("audit package of", StringComparison.Ordinal));
        Assert.Equal(2, (await s.Db.Get<DisclosureService>().GetByCaseAsync(s.Scrutineer, "C-002")).Count);
        // And the case file lists its disclosures.
        Assert.Contains((await s.Db.Get<CaseFileService>().FindAsync(s.Scrutineer, "C-001")).Items, i => i.Kind == CaseFile.Kinds.Disclosure);
    }
}

public sealed class CaseFileTestsOnSqlite() : CaseFileTests(DatabaseEngine.Sqlite);

public sealed class CaseFileTestsOnPostgres() : CaseFileTests(DatabaseEngine.Postgres);
