using System.Globalization;
using System.Text.Json;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.DataProtection;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Calibration;

/// <summary>
/// Calibration exercises (docs/calibration.md). Every rule is here, checked on every call from the database:
/// <list type="bullet">
/// <item>plan, set reference grades, close, see the alpha over time: scrutineers.</item>
/// <item>grade and submit: an auditor taking part, while the exercise is open, until they submit.</item>
/// <item>read the case: scrutineers and the auditors taking part. Blind: before the exercise is closed an auditor sees
/// their own grades only, never another auditor's nor the reference; the result is refused to them until then.</item>
/// <item>executives, managers, administrators and auditors not taking part: refused.</item>
/// </list>
/// Each change writes its audit log line in the same transaction; the summary and grades are case content.
/// </summary>
public sealed class CalibrationService(
    ICalibrationRepository exercises,
    ITemplateRepository templates,
    IUserRepository users,
    IAgencyRepository agencies,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock)
{
    public const int MaxTitleLength = 200;
    public const int MaxSummaryLength = 8000;

    /// <summary>The alpha of a calibration exercise is flagged below the default reliability threshold.</summary>
    public static double Threshold => Thresholds.Default.Reliability;

    /// <summary>The published template versions with graded questions, and the active auditors of every agency.</summary>
    public async Task<CalibrationChoices> GetChoicesAsync(Actor actor)
    {
        await access.RequireAsync(actor, "calibration.plan", Role.Scrutineer);
        var versions = new List<(long, string, int)>();
        foreach (var t in (await templates.GetSummariesAsync()).Where(t => !t.IsRetired).OrderBy(t => t.Title, StringComparer.Ordinal))
        {
            foreach (var v in t.Versions.Where(v => v.Status == TemplateStatus.Published).OrderByDescending(v => v.Version))
            {
                var definition = await templates.GetVersionAsync(v.Id);
                var graded = definition is null ? 0 : CalibrationQuestion.Of(definition).Count;
                if (graded > 0)
                {
                    versions.Add((v.Id, $"{t.Title}, version {v.Version}", graded));
                }
            }
        }

        var names = (await agencies.GetAllAsync()).ToDictionary(a => a.Id, a => a.Name);
        var auditors = (await users.GetAllAsync())
            .Where(u => u is { Role: Role.Auditor, IsDisabled: false })
            .Select(u => (u.Id, $"{u.DisplayName} ({(u.AgencyId is { } a ? names.GetValueOrDefault(a, "no agency") : "no agency")})"))
            .OrderBy(x => x.Item2, StringComparer.Ordinal)
            .ToList();
        return new CalibrationChoices(versions, auditors);
    }

    /// <param name="confirmIdentifying">The scrutineer has been shown what in the summary looks identifying and confirms
    /// the case is anonymised all the same.</param>
    public async Task<long> PlanAsync(Actor actor, CalibrationPlan plan, bool confirmIdentifying = false)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var user = await access.RequireAsync(actor, "calibration.plan", Role.Scrutineer);
        var title = plan.Title?.Trim() ?? string.Empty;
        var summary = plan.Summary?.Trim() ?? string.Empty;
        var problems = new List<string>();
        if (title.Length == 0)
        {
            problems.Add("Give the exercise a title.");
        }
        else if (title.Length > MaxTitleLength)
        {
            problems.Add($"A title is at most {MaxTitleLength:N0} characters; this one has {title.Length:N0}.");
        }

        if (summary.Length == 0)
        {
            problems.Add("Write the case's evidence summary: the auditors grade from it.");
        }
        else if (summary.Length > MaxSummaryLength)
        {
            problems.Add($"A summary is at most {MaxSummaryLength:N0} characters; this one has {summary.Length:N0}.");
        }
        else if (!confirmIdentifying && IdentifyingText.Find(summary) is { Count: > 0 } found)
        {
            problems.AddRange(found.Select(m => m.Message));
            problems.Add("The case must be anonymised: change the summary, or confirm that it identifies nobody.");
        }

        var info = await templates.GetVersionInfoAsync(plan.TemplateVersionId);
        var definition = info is { Status: TemplateStatus.Published } ? await templates.GetVersionAsync(info.Id) : null;
        if (definition is null)
        {
            problems.Add("Choose a published template version.");
        }
        else if (CalibrationQuestion.Of(definition).Count == 0)
        {
            problems.Add("That template version has no graded questions (a scale whose options have scores).");
        }

        var auditorIds = (plan.AuditorIds ?? []).Distinct().ToList();
        var all = (await users.GetAllAsync()).ToDictionary(u => u.Id);
        if (auditorIds.Count < 2)
        {
            problems.Add("Choose at least two auditors to take part.");
        }
        else if (auditorIds.Any(id => !all.TryGetValue(id, out var u) || u.Role != Role.Auditor || u.IsDisabled))
        {
            problems.Add("Only active auditors can take part.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var now = clock.GetUtcNow();
        return await exercises.CreateAsync(
            new NewCalibration(title, plan.TemplateVersionId, summary, auditorIds, user?.Id, actor.UserName, now),
            new AuditLogEntry(now, user?.Id, actor.UserName, "plan", "calibration", null, null,
                JsonSerializer.Serialize(new { title, templateVersionId = plan.TemplateVersionId, summary, auditors = auditorIds }),
                new LogSubject(null), CaseContent: true));
    }

    /// <summary>Scrutineers: every exercise. Auditors: the exercises they take part in. Open ones first, newest first.</summary>
    public async Task<IReadOnlyList<CalibrationSummary>> ListAsync(Actor actor)
    {
        var user = await access.RequireAsync(actor, "calibration.list", Role.Scrutineer, Role.Auditor);
        return (await exercises.GetAllAsync())
            .Where(e => user is not { Role: Role.Auditor } || e.Participants.Any(p => p.UserId == user.Id))
            .OrderBy(e => e.IsOpen ? 0 : 1).ThenByDescending(e => e.PlannedUtc).ThenByDescending(e => e.Id)
            .Select(e => new CalibrationSummary(e.Id, e.Title, e.TemplateTitle, e.TemplateVersion, e.State, e.PlannedUtc, e.ClosedUtc,
                e.Participants.Count, e.Participants.Count(p => p.SubmittedUtc is not null),
                user is not null && e.Participants.Any(p => p.UserId == user.Id && p.SubmittedUtc is not null)))
            .ToList();
    }

    public async Task<CalibrationView> GetAsync(Actor actor, long exerciseId)
    {
        var user = await access.RequireAsync(actor, "calibration.read", Role.Scrutineer, Role.Auditor);
        var exercise = await ReadableAsync(actor, user, exerciseId, "calibration.read");
        var questions = await QuestionsAsync(exercise);
        var scrutineer = user is null or { Role: Role.Scrutineer };
        var me = user is { Role: Role.Auditor } ? exercise.Participants.Single(p => p.UserId == user.Id) : null;
        var mine = me is null ? new Dictionary<string, string>()
            : exercise.Grades.Where(g => g.UserId == me.UserId).ToDictionary(g => g.QuestionKey, g => g.Value);
        // Blind: until it is closed an auditor's view holds their own grades only, and no reference.
        var seen = scrutineer || !exercise.IsOpen
            ? exercise
            : exercise with { Grades = exercise.Grades.Where(g => g.UserId == me!.UserId).ToList(), References = [] };
        return new CalibrationView(seen, questions, mine, me is not null, me?.SubmittedUtc is not null,
            exercise.IsOpen && me is { SubmittedUtc: null }, scrutineer, scrutineer && exercise.IsOpen,
            seen.References.ToDictionary(r => r.QuestionKey, r => r.Value));
    }

    /// <summary>An auditor taking part grades a graded question (until they submit, while the exercise is open).</summary>
    public async Task SaveGradeAsync(Actor actor, long exerciseId, string questionKey, string value)
    {
        var user = await access.RequireAsync(actor, "calibration.grade", Role.Auditor);
        var exercise = await exercises.GetByIdAsync(exerciseId);
        if (exercise is null || user is null || !exercise.Participants.Any(p => p.UserId == user.Id))
        {
            await RefuseAsync(actor, "calibration.grade", exerciseId);
        }

        var question = (await QuestionsAsync(exercise!)).FirstOrDefault(q => q.Key == questionKey)
            ?? throw new DomainValidationException("That is not a graded question of this exercise.");
        if (question.Option(value) is null)
        {
            throw new DomainValidationException($"Choose one of the grades of “{question.Text}”.");
        }

        Open(exercise!);
        if (exercise!.Participants.Single(p => p.UserId == user!.Id).SubmittedUtc is not null)
        {
            throw new DomainValidationException("You have submitted your grades already.");
        }

        var now = clock.GetUtcNow();
        if (!await exercises.SaveGradeAsync(exercise.Id, user!.Id, question.Key, value, now,
                Entry(actor, user, now, "grade", $"{exercise.Id}/{question.Key}", JsonSerializer.Serialize(new { value }), caseContent: true)))
        {
            throw Moved();
        }
    }

    /// <summary>An auditor taking part has graded every graded question and hands in their grades.</summary>
    public async Task SubmitAsync(Actor actor, long exerciseId)
    {
        var user = await access.RequireAsync(actor, "calibration.submit", Role.Auditor);
        var exercise = await exercises.GetByIdAsync(exerciseId);
        if (exercise is null || user is null || !exercise.Participants.Any(p => p.UserId == user.Id))
        {
            await RefuseAsync(actor, "calibration.submit", exerciseId);
        }

        Open(exercise!);
        var mine = exercise!.Grades.Where(g => g.UserId == user!.Id).Select(g => g.QuestionKey).ToHashSet();
        var missing = (await QuestionsAsync(exercise)).Where(q => !mine.Contains(q.Key)).ToList();
        if (missing.Count > 0)
        {
            throw new DomainValidationException(missing.Select(q => $"Grade “{q.Text}” before you submit.").ToList());
        }

        var now = clock.GetUtcNow();
        if (!await exercises.SubmitAsync(exercise.Id, user!.Id, now,
                Entry(actor, user, now, "submit", exercise.Id.ToString(CultureInfo.InvariantCulture), "submitted", caseContent: false)))
        {
            throw new DomainValidationException("You have submitted your grades already.");
        }
    }

    /// <summary>The scrutineer's reference grade of a graded question, before or after the exercise is closed.</summary>
    public async Task SetReferenceAsync(Actor actor, long exerciseId, string questionKey, string value)
    {
        var user = await access.RequireAsync(actor, "calibration.reference", Role.Scrutineer);
        var exercise = await exercises.GetByIdAsync(exerciseId) ?? throw new DomainValidationException("That exercise does not exist.");
        var question = (await QuestionsAsync(exercise)).FirstOrDefault(q => q.Key == questionKey)
            ?? throw new DomainValidationException("That is not a graded question of this exercise.");
        if (question.Option(value) is null)
        {
            throw new DomainValidationException($"Choose one of the grades of “{question.Text}”.");
        }

        var now = clock.GetUtcNow();
        if (!await exercises.SetReferenceAsync(exercise.Id, question.Key, value, actor.UserName, now,
                Entry(actor, user, now, "reference", $"{exercise.Id}/{question.Key}", JsonSerializer.Serialize(new { value }), caseContent: true)))
        {
            throw Moved();
        }
    }

    public async Task CloseAsync(Actor actor, long exerciseId)
    {
        var user = await access.RequireAsync(actor, "calibration.close", Role.Scrutineer);
        var exercise = await exercises.GetByIdAsync(exerciseId) ?? throw new DomainValidationException("That exercise does not exist.");
        if (!exercise.IsOpen)
        {
            throw new DomainValidationException("This exercise is closed already.");
        }

        var now = clock.GetUtcNow();
        if (!await exercises.CloseAsync(exercise.Id, user?.Id, actor.UserName, now,
                Entry(actor, user, now, "close", exercise.Id.ToString(CultureInfo.InvariantCulture), CalibrationStates.Closed, caseContent: false)))
        {
            throw new DomainValidationException("This exercise is closed already.");
        }
    }

    /// <summary>The result: scrutineers at any time; an auditor taking part once the exercise is closed (blind before).</summary>
    public async Task<CalibrationResult> GetResultAsync(Actor actor, long exerciseId)
    {
        var user = await access.RequireAsync(actor, "calibration.result", Role.Scrutineer, Role.Auditor);
        var exercise = await ReadableAsync(actor, user, exerciseId, "calibration.result");
        if (user is { Role: Role.Auditor } && exercise.IsOpen)
        {
            await RefuseAsync(actor, "calibration.result", exerciseId);
        }

        return CalibrationResult.Compute(exercise, await QuestionsAsync(exercise), Threshold);
    }

    /// <summary>The closed exercises of a template (any version), oldest first, each with its overall alpha.</summary>
    public async Task<IReadOnlyList<CalibrationHistoryPoint>> GetHistoryAsync(Actor actor, long templateId)
    {
        await access.RequireAsync(actor, "calibration.history", Role.Scrutineer);
        var points = new List<CalibrationHistoryPoint>();
        foreach (var e in (await exercises.GetAllAsync()).Where(e => e.TemplateId == templateId && !e.IsOpen)
                     .OrderBy(e => e.ClosedUtc).ThenBy(e => e.Id))
        {
            var result = CalibrationResult.Compute(e, await QuestionsAsync(e), Threshold);
            points.Add(new CalibrationHistoryPoint(e.Id, e.Title, e.TemplateVersion, e.ClosedUtc!.Value, result.Raters.Count, result.OverallAlpha));
        }

        return points;
    }

    private async Task<CalibrationExercise> ReadableAsync(Actor actor, User? user, long exerciseId, string what)
    {
        var exercise = await exercises.GetByIdAsync(exerciseId);
        if (exercise is null || (user is { Role: Role.Auditor } && !exercise.Participants.Any(p => p.UserId == user.Id)))
        {
            await RefuseAsync(actor, what, exerciseId);
        }

        return exercise!;
    }

    private async Task<IReadOnlyList<CalibrationQuestion>> QuestionsAsync(CalibrationExercise exercise) =>
        await templates.GetVersionAsync(exercise.TemplateVersionId) is { } definition ? CalibrationQuestion.Of(definition) : [];

    private static void Open(CalibrationExercise exercise)
    {
        if (!exercise.IsOpen)
        {
            throw new DomainValidationException("This exercise is closed: grades can no longer change.");
        }
    }

    private static AuditLogEntry Entry(Actor actor, User? user, DateTimeOffset now, string action, string entityId, string after, bool caseContent) =>
        new(now, user?.Id, actor.UserName, action, "calibration", entityId, null, after, new LogSubject(null), caseContent);

    private async Task RefuseAsync(Actor actor, string what, long exerciseId)
    {
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName,
            "access-refused", "calibration", $"exercise {exerciseId}", null, what));
        throw new AccessDeniedException("You do not have access to this calibration exercise.");
    }

    private static DomainValidationException Moved() => new("This exercise changed in the meantime: reload and look again.");
}
