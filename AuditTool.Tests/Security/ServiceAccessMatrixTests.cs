using AuditTool.Data;
using System.Reflection;
using AuditTool.Domain;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Sampling;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Support;
using Xunit.Abstractions;

namespace AuditTool.Tests.Security;

/// <summary>
/// Every public method of every use-case service that takes an actor, called by each role (and by a forged actor whose
/// account does not exist), against the matrix below: a refused caller must get AccessDeniedException, an allowed one
/// anything else (a validation error is fine: it got past the gate). A service method missing from the matrix fails.
/// The audit is open and unpublished, so readers of published reports are refused here; published access is tested in
/// FindingsServiceTests.
/// </summary>
public abstract class ServiceAccessMatrixTests(ITestOutputHelper output, DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Admin = "admin";
    private const string Scrutineer = "scrutineer";
    private const string AuditorA = "police auditor";
    private const string AuditorB = "education auditor";
    private const string Manager = "police manager";
    private const string Executive = "executive";
    private const string Forged = "forged";

    private static readonly string[] Everyone = [Admin, Scrutineer, AuditorA, AuditorB, Manager, Executive];

    private static readonly Dictionary<string, string[]> Matrix = new()
    {
        ["AgencyService.GetAllAsync"] = Everyone,
        ["AgencyService.CreateAsync"] = [Admin],
        ["AgencyService.UpdateAsync"] = [Admin],
        ["UserAdminService.GetAllAsync"] = [Admin],
        ["UserAdminService.CreateAsync"] = [Admin],
        ["UserAdminService.AssignRoleAsync"] = [Admin],
        ["UserAdminService.SetDisabledAsync"] = [Admin],
        ["UserAdminService.ResetPasswordAsync"] = [Admin],
        ["UserAdminService.SetEmailAsync"] = [Admin],
        ["UserAdminService.EndSessionsAsync"] = [Admin],
        ["UserAdminService.ExportSignInReportAsync"] = [Admin],
        ["UserAdminService.SetSafeguardingLeadAsync"] = [Admin],
        ["SecondFactorService.ResetAsync"] = [Admin],
        ["PasskeyService.*"] = Everyone,
        ["AccountLifecycleService.DisableUnusedAsync"] = [Admin],
        ["NoticeService.*"] = [Admin],
        ["HomeService.GetAsync"] = Everyone,
        ["AuditLogService.SearchAsync"] = [Admin, Scrutineer],
        ["AuditLogService.GetEntitiesAsync"] = [Admin, Scrutineer],
        ["AuditLogService.GetLastCheckAsync"] = [Admin, Scrutineer],
        ["AuditLogService.VerifyAsync"] = [Admin],
        ["TemplateLibraryService.GetSummariesAsync"] = [Scrutineer],
        ["TemplateLibraryService.ImportAsync"] = [Scrutineer],
        ["TemplateDesignService.CreateAsync"] = [Scrutineer],
        ["TemplateDesignService.GetVersionAsync"] = [Scrutineer],
        ["TemplateDesignService.SaveDraftAsync"] = [Scrutineer],
        ["TemplateDesignService.CheckAsync"] = [Scrutineer],
        ["TemplateDesignService.SameKeyWarningsAsync"] = [Scrutineer],
        ["TemplateDesignService.PublishAsync"] = [Scrutineer],
        ["TemplateDesignService.NewVersionAsync"] = [Scrutineer],
        ["TemplateDesignService.DiscardDraftAsync"] = [Scrutineer],
        ["TemplateDesignService.SetRetiredAsync"] = [Scrutineer],
        ["TemplateDesignService.GetHistoryAsync"] = [Scrutineer],
        ["TemplateDesignService.ExportAsync"] = [Scrutineer],
        ["AuditPlanningService.*"] = [Scrutineer],
        ["ReturnService.GetAsync"] = [Scrutineer, AuditorA, Manager],
        ["ReturnService.GetCaseReturnsAsync"] = [Scrutineer, AuditorA, Manager],
        ["ReturnService.GetAnswerAsync"] = [Scrutineer, AuditorA, Manager],
        ["ReturnService.SaveAnswerAsync"] = [AuditorA],
        ["ReturnService.SaveEvidenceAsync"] = [AuditorA],
        ["ReturnService.SubmitAsync"] = [AuditorA],
        ["ReturnService.ReturnForAmendmentAsync"] = [Scrutineer],
        ["AuditPackageService.ImportAsync"] = [Scrutineer],
        ["AuditPackageService.ExportAsync"] = [Scrutineer],
        ["FiguresService.GetAsync"] = [Scrutineer],
        ["FiguresService.RecomputeAsync"] = [Admin],
        ["ModerationService.*"] = [Scrutineer],
        // Nobody in this scenario is a safeguarding lead: ConcernAccessTests covers the leads' cells.
        ["ConcernService.RaiseAsync"] = [Scrutineer, AuditorA, AuditorB],
        ["ConcernService.ListAsync"] = [Scrutineer, AuditorA, AuditorB, Manager],
        ["ConcernService.GetAsync"] = [Scrutineer],
        ["ConcernService.AcknowledgeAsync"] = [],
        ["ConcernService.RecordActionAsync"] = [Scrutineer],
        ["ConcernService.CloseAsync"] = [Scrutineer],
        ["ConcernService.GetFiguresAsync"] = [Scrutineer],
        // The scenario's calibration exercise has the police and education auditors taking part; it is open (blind).
        ["CalibrationService.GetChoicesAsync"] = [Scrutineer],
        ["CalibrationService.PlanAsync"] = [Scrutineer],
        ["CalibrationService.ListAsync"] = [Scrutineer, AuditorA, AuditorB],
        ["CalibrationService.GetAsync"] = [Scrutineer, AuditorA, AuditorB],
        ["CalibrationService.SaveGradeAsync"] = [AuditorA, AuditorB],
        ["CalibrationService.SubmitAsync"] = [AuditorA, AuditorB],
        ["CalibrationService.SetReferenceAsync"] = [Scrutineer],
        ["CalibrationService.GetResultAsync"] = [Scrutineer],
        ["CalibrationService.CloseAsync"] = [Scrutineer],
        ["CalibrationService.GetHistoryAsync"] = [Scrutineer],
        ["FindingsService.GetAgencyActionsAsync"] = [Manager],
        ["FindingsService.*"] = [Scrutineer],
        ["ReportService.ListAsync"] = [Scrutineer, Manager, Executive],
        ["ReportService.GetAsync"] = [Scrutineer],
        ["ExportService.ExportXlsxAsync"] = [Scrutineer],
        ["WorkbookService.GetOffersAsync"] = [Scrutineer, AuditorA, AuditorB],
        ["WorkbookService.DownloadAsync"] = [Scrutineer, AuditorA],
        ["WorkbookService.UploadAsync"] = [Scrutineer, AuditorA],
        ["TrendsService.GetAsync"] = [Scrutineer, Manager, Executive],
        ["TrendsService.ConfirmSameMeasureAsync"] = [Scrutineer],
        ["TrendsService.KeepApartAsync"] = [Scrutineer],
        // The scenario's audit is open: the Word report is for published audits only, for everyone.
        ["ReportDocumentService.ExportAsync"] = [],
        // Subject access and the disclosure record are the scrutineers'; retention and legal holds theirs and the administrators'.
        ["CaseFileService.*"] = [Scrutineer],
        ["DisclosureService.*"] = [Scrutineer],
        ["RetentionService.SetPolicyAsync"] = [Scrutineer],
        ["RetentionService.*"] = [Scrutineer, Admin],
    };

    public static TheoryData<string> Services() => new(DomainServices.All
        .Where(t => t != typeof(AccessPolicy) && ActorMethods(t).Any())
        .Select(t => t.Name));

    private static IEnumerable<MethodInfo> ActorMethods(Type service) => service
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => m.GetParameters().FirstOrDefault()?.ParameterType == typeof(Actor) && typeof(Task).IsAssignableFrom(m.ReturnType));

    [Theory]
    [MemberData(nameof(Services))]
    public async Task EveryMethod_AdmitsOnlyTheRolesOfTheMatrix(string serviceName)
    {
        using var s = await ScenarioAsync(cases: 2);
        var service = DomainServices.All.Single(t => t.Name == serviceName);
        var instance = typeof(TestDatabase).GetMethod(nameof(TestDatabase.Get))!.MakeGenericMethod(service).Invoke(s.Db, null)!;
        var ids = await IdsAsync(s);
        var actors = new Dictionary<string, Actor>
        {
            [Admin] = s.Administrator,
            [Scrutineer] = s.Scrutineer,
            [AuditorA] = s.PoliceAuditor,
            [AuditorB] = s.EducationAuditor,
            [Manager] = s.PoliceManager,
            [Executive] = s.Executive,
            [Forged] = new Actor(987_654, "forged", Role.Scrutineer, null),
        };

        var problems = new List<string>();
        var cells = 0;
        // Calls that remove or freeze things go last, so the calls before them find what they need.
        string[] finalVerbs = ["Delete", "Remove", "Discard", "Publish", "Close", "MoveTo", "SetRetired"];
        foreach (var method in ActorMethods(service).OrderBy(m => finalVerbs.Any(m.Name.StartsWith)).ThenBy(m => m.Name))
        {
            var name = $"{serviceName}.{method.Name}";
            var allowed = Matrix.GetValueOrDefault(name) ?? Matrix.GetValueOrDefault($"{serviceName}.*");
            if (allowed is null)
            {
                problems.Add($"{name} is not in the access matrix.");
                continue;
            }

            // Refused callers first: a refusal changes nothing, so the allowed calls after them see the same data.
            foreach (var (who, actor) in actors.OrderBy(a => allowed.Contains(a.Key)))
            {
                cells++;
                var refused = await IsRefusedAsync(method, instance, actor, ids, s);
                var shouldBeRefused = !allowed.Contains(who);
                if (refused != shouldBeRefused)
                {
                    problems.Add($"{name} as {who}: {(refused ? "refused" : "allowed")}, the matrix says {(shouldBeRefused ? "refused" : "allowed")}.");
                }
            }
        }

        output.WriteLine($"{serviceName}: {cells} cells checked.");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Reading a return once the audit is in moderation (the reveal): police submitted C-001 and started but never
    /// submitted C-002; education submitted both. Each cell: may this reader read that return?
    /// </summary>
    private static readonly Dictionary<(string Reader, string Return), bool> RevealMatrix = new()
    {
        [(Scrutineer, "police C-001")] = true, [(Scrutineer, "education C-001")] = true,
        [(Scrutineer, "police C-002")] = true, [(Scrutineer, "education C-002")] = true,
        [(AuditorA, "police C-001")] = true, [(AuditorA, "education C-001")] = true,
        [(AuditorA, "police C-002")] = true, [(AuditorA, "education C-002")] = false,
        [(AuditorB, "police C-001")] = true, [(AuditorB, "education C-001")] = true,
        [(AuditorB, "police C-002")] = true, [(AuditorB, "education C-002")] = true,
        [(Manager, "police C-001")] = true, [(Manager, "education C-001")] = false,
        [(Manager, "police C-002")] = true, [(Manager, "education C-002")] = false,
        [(Executive, "police C-001")] = false, [(Executive, "education C-002")] = false,
        [(Admin, "police C-001")] = false, [(Admin, "education C-002")] = false,
    };

    [Fact]
    public async Task AfterTheReveal_ReturnsAreReadOnlyByTheCellsOfTheRevealMatrix()
    {
        using var s = await ScenarioAsync(cases: 2);
        var returns = new Dictionary<string, long>();
        foreach (var caseRef in new[] { "C-001", "C-002" })
        {
            returns[$"police {caseRef}"] = await s.ReturnIdAsync(caseRef, s.PoliceId);
            returns[$"education {caseRef}"] = await s.ReturnIdAsync(caseRef, s.EducationId);
        }

        async Task SubmitAsync(Actor auditor, long returnId, bool education)
        {
            await s.Returns.SaveAnswerAsync(auditor, returnId, "seen-alone", "no");
            if (education)
            {
                await s.Returns.SaveAnswerAsync(auditor, returnId, "attendance", "yes");
            }

            await s.Returns.SaveAnswerAsync(auditor, returnId, "overall", "good");
            Assert.True((await s.Returns.SubmitAsync(auditor, returnId)).Submitted);
        }

        await SubmitAsync(s.PoliceAuditor, returns["police C-001"], education: false);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, returns["police C-002"], "seen-alone", "yes");
        await SubmitAsync(s.EducationAuditor, returns["education C-001"], education: true);
        await SubmitAsync(s.EducationAuditor, returns["education C-002"], education: true);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var actors = new Dictionary<string, Actor>
        {
            [Admin] = s.Administrator, [Scrutineer] = s.Scrutineer, [AuditorA] = s.PoliceAuditor,
            [AuditorB] = s.EducationAuditor, [Manager] = s.PoliceManager, [Executive] = s.Executive,
        };

        var problems = new List<string>();
        foreach (var ((reader, ret), allowed) in RevealMatrix)
        {
            var refused = false;
            try
            {
                var view = await s.Returns.GetAsync(actors[reader], returns[ret]);
                Assert.Equal(returns[ret], view.Return.Id);
            }
            catch (AccessDeniedException)
            {
                refused = true;
            }

            if (refused == allowed)
            {
                problems.Add($"{reader} reading {ret}: {(refused ? "refused" : "allowed")}, the matrix says {(allowed ? "allowed" : "refused")}.");
            }

            // One answer, as an open page reads it when it hears that answer changed: the same cells.
            var answerRefused = false;
            try
            {
                await s.Returns.GetAnswerAsync(actors[reader], returns[ret], "seen-alone");
            }
            catch (AccessDeniedException)
            {
                answerRefused = true;
            }

            if (answerRefused == allowed)
            {
                problems.Add($"{reader} reading one answer of {ret}: {(answerRefused ? "refused" : "allowed")}, the matrix says {(allowed ? "allowed" : "refused")}.");
            }

            // The side-by-side view of a case holds exactly the returns the reader may read.
            if (allowed && ret.StartsWith(reader.StartsWith("education") ? "education" : "police", StringComparison.Ordinal) &&
                reader is AuditorA or AuditorB)
            {
                var caseRef = ret[^5..];
                var side = (await s.Returns.GetCaseReturnsAsync(actors[reader], returns[ret])).Select(v => v.Return.Id).ToHashSet();
                var expected = RevealMatrix.Where(c => c.Key.Reader == reader && c.Key.Return.EndsWith(caseRef, StringComparison.Ordinal) && c.Value)
                    .Select(c => returns[c.Key.Return]).ToHashSet();
                if (!side.SetEquals(expected))
                {
                    problems.Add($"{reader}'s side-by-side view of {caseRef} holds {side.Count} returns, the matrix says {expected.Count}.");
                }
            }
        }

        output.WriteLine($"Reveal: {RevealMatrix.Count} cells checked.");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheMatrix_NamesOnlyMethodsThatExist()
    {
        var existing = DomainServices.All.Where(t => t != typeof(AccessPolicy)).SelectMany(t => ActorMethods(t).Select(m => $"{t.Name}.{m.Name}")).ToHashSet();
        var services = DomainServices.All.Select(t => t.Name).ToHashSet();
        foreach (var entry in Matrix.Keys)
        {
            Assert.True(entry.EndsWith(".*") ? services.Contains(entry[..^2]) : existing.Contains(entry), $"{entry} is not a service method.");
        }
    }

    private static async Task<bool> IsRefusedAsync(MethodInfo method, object instance, Actor actor, Ids ids, AuditScenario s)
    {
        var arguments = method.GetParameters().Select((p, i) => i == 0 ? actor : Argument(p, ids, s)).ToArray();
        try
        {
            await (Task)method.Invoke(instance, arguments)!;
            return false;
        }
        catch (AccessDeniedException)
        {
            return true;
        }
        catch (Exception ex) when (ex is DomainValidationException or TemplateFormatException or CohortException
                                       or AuditTool.Domain.Packages.AuditPackageException or AuditTool.Domain.Workbooks.WorkbookException
                                       or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <param name="PoliceWorkbook">The police agency workbook of the audit, as downloaded by the scrutineer: what an upload sends.</param>
    private sealed record Ids(long AuditId, long ReturnId, long CaseId, long VersionId, long TemplateId, long ThrowawayUserId, long ActionId, long FindingId,
        byte[] PoliceWorkbook, long ConcernId, long ExerciseId);

    private static async Task<Ids> IdsAsync(AuditScenario s)
    {
        var repo = s.Db.Get<IAuditRepository>();
        var returnId = await s.ReturnIdAsync("C-001", s.PoliceId);
        var caseId = (await repo.GetCasesAsync(s.AuditId))[0].Id;
        var info = await s.Db.Get<ITemplateRepository>().GetVersionInfoAsync(s.TemplateVersionId);
        var throwaway = await s.Db.CreateUserAsync("throwaway", Role.Executive);
        var findings = s.Db.Get<FindingsService>();
        var findingId = await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput(FindingKinds.Strength, "A finding", "", [], []));
        var actionId = await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("An action", s.PoliceId, null, ActionStatuses.Open, findingId));
        var workbook = new MemoryStream();
        await s.Db.Get<AuditTool.Domain.Workbooks.WorkbookService>().DownloadAsync(s.Scrutineer, s.AuditId, "police", workbook);
        var concernId = await s.Db.Get<AuditTool.Domain.Concerns.ConcernService>().RaiseAsync(s.Scrutineer, s.AuditId, caseId, "A matrix concern", "");
        var exerciseId = await s.Db.Get<AuditTool.Domain.Calibration.CalibrationService>().PlanAsync(s.Scrutineer,
            new AuditTool.Domain.Calibration.CalibrationPlan("Matrix calibration", s.TemplateVersionId, "An anonymised case summary",
                [s.PoliceAuditor.UserId, s.EducationAuditor.UserId]));
        return new Ids(s.AuditId, returnId, caseId, s.TemplateVersionId, info!.TemplateId, throwaway.UserId, actionId, findingId, workbook.ToArray(),
            concernId, exerciseId);
    }

    /// <summary>A plausible value for each parameter, by name and type, pointing at the scenario's own records.</summary>
    private static object? Argument(ParameterInfo p, Ids ids, AuditScenario s)
    {
        var name = p.Name!.ToLowerInvariant();
        var type = p.ParameterType;
        if (type == typeof(long) || type == typeof(long?))
        {
            return name switch
            {
                "auditid" => ids.AuditId,
                "returnid" or "sourcereturnid" => ids.ReturnId,
                "caseid" => ids.CaseId,
                "versionid" or "templateversionid" => ids.VersionId,
                "templateid" => ids.TemplateId,
                "userid" => ids.ThrowawayUserId,
                "actionid" => ids.ActionId,
                "findingid" => ids.FindingId,
                "concernid" => ids.ConcernId,
                "exerciseid" => ids.ExerciseId,
                "messageid" => 1L,
                "seed" => 7L,
                "quoteid" or "holdid" or "passkeyid" => 1L,
                "id" or "agencyid" => s.PoliceId,
                _ => throw new InvalidOperationException($"No test value for long parameter '{p.Name}'."),
            };
        }

        if (type == typeof(string))
        {
            return name switch
            {
                "questionkey" or "sourcequestionkey" => "seen-alone",
                "agencykey" => "police",
                "value" => "good",
                "status" => ActionStatuses.InProgress,
                "kind" => "police",
                "key" => "matrix-key",
                "csv" => "Ref,Age\nM-1,12\n",
                "referencecolumn" => "Ref",
                "json" => TemplateJson.Write(AuditScenario.Template with { Key = "matrix-import" }),
                "newpassword" => "a-long-new-password-42",
                _ => "matrix text",
            };
        }

        return type switch
        {
            _ when type == typeof(int) => 1,
            _ when type == typeof(bool) => false,
            _ when type == typeof(object) => "yes",
            _ when type == typeof(Role) => Role.Executive,
            _ when type == typeof(Stream) && name == "workbook" => new MemoryStream(ids.PoliceWorkbook),
            _ when type == typeof(Stream) => name == "output" ? new MemoryStream() : new MemoryStream("{}"u8.ToArray()),
            _ when type == typeof(CancellationToken) => CancellationToken.None,
            _ when type == typeof(DateOnly?) => null,
            _ when type == typeof(DateTimeOffset?) => null,
            _ when type == typeof(PasskeySite) => new PasskeySite("localhost", "http://localhost:5000"),
            _ when type == typeof(int?) => 12,
            _ when type == typeof(IReadOnlyList<long>) => new List<long> { s.PoliceId },
            _ when type == typeof(IReadOnlyDictionary<string, string>) => null,
            _ when type == typeof(AuditPlan) => new AuditPlan("Matrix audit", AuditKinds.MultiAgency, null, null, null, Thresholds.Default),
            _ when type == typeof(NewUser) => new NewUser("matrix.user", "Matrix user", Role.Executive, null, "a-long-new-password-42"),
            _ when type == typeof(TemplateDefinition) => AuditScenario.Template,
            _ when type == typeof(SampleCriteria) => SampleCriteria.None,
            _ when type == typeof(AuditLogQuery) => new AuditLogQuery(null, null, null, null, 0, 10),
            _ when type == typeof(AuditTool.Domain.Notices.OutboxQuery) => new AuditTool.Domain.Notices.OutboxQuery(null, null, null, 0, 10),
            _ when type == typeof(AuditTool.Domain.Concerns.ConcernQuery) => new AuditTool.Domain.Concerns.ConcernQuery(),
            _ when type == typeof(AuditTool.Domain.Calibration.CalibrationPlan) => new AuditTool.Domain.Calibration.CalibrationPlan(
                "Matrix plan", s.TemplateVersionId, "Matrix summary", [s.PoliceAuditor.UserId, s.EducationAuditor.UserId]),
            _ when type == typeof(FindingInput) => new FindingInput(FindingKinds.Development, "Matrix finding", "", [], []),
            _ when type == typeof(ActionInput) => new ActionInput("Matrix action", null, null, ActionStatuses.Open, null),
            _ when type == typeof(Proposal) => new Proposal(FindingKinds.Strength, "seen-alone", null, "Seen alone", "", 0.9, 10),
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IProgress<>) => null,
            _ => throw new InvalidOperationException($"No test value for {type.Name} parameter '{p.Name}'."),
        };
    }
}

public sealed class ServiceAccessMatrixTestsOnSqlite(ITestOutputHelper output) : ServiceAccessMatrixTests(output, DatabaseEngine.Sqlite);

public sealed class ServiceAccessMatrixTestsOnPostgres(ITestOutputHelper output) : ServiceAccessMatrixTests(output, DatabaseEngine.Postgres);
