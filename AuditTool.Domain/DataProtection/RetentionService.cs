using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.DataProtection;

/// <summary>
/// Retention of case content: each audit's policy (the partnership's defaults, changed per audit by a scrutineer), legal
/// holds (scrutineers and administrators), and the disposal pass (daily in the app, apply-retention on the command line):
/// a notice to the scrutineers <see cref="RetentionSettings.NoticeDays"/> before a stage falls due, and on the day one
/// transaction per audit and stage.
/// </summary>
public sealed class RetentionService(
    IRetentionRepository retention,
    IUserRepository users,
    IOutboxRepository outbox,
    AccessPolicy access,
    RetentionSettings defaults,
    TimeProvider clock)
{
    public const int MaxReasonLength = 1000;

    public RetentionSettings Defaults => defaults;

    public async Task<IReadOnlyList<RetentionAudit>> GetAuditsAsync(Actor actor)
    {
        await access.RequireAsync(actor, "retention.list", Role.Scrutineer, Role.Administrator);
        return await retention.GetAuditsAsync();
    }

    public async Task SetPolicyAsync(Actor actor, long auditId, int? notesMonths, int? answersMonths)
    {
        await access.RequireAsync(actor, "retention.set-policy", Role.Scrutineer);
        if (notesMonths is < 1 or > RetentionSettings.MaxMonths || answersMonths is < 1 or > RetentionSettings.MaxMonths)
        {
            throw new DomainValidationException($"Retention is a whole number of months from 1 to {RetentionSettings.MaxMonths}.");
        }

        var audit = await retention.GetAuditAsync(auditId) ?? throw new DomainValidationException("There is no such audit.");
        var notes = notesMonths ?? defaults.NotesMonths;
        var answers = answersMonths ?? defaults.AnswersMonths;
        if (answers < notes)
        {
            throw new DomainValidationException("Answers cannot be reduced before the notes are destroyed: give answers at least as many months as notes.");
        }

        var old = JsonSerializer.Serialize(new { notesMonths = audit.NotesMonths, answersMonths = audit.AnswersMonths });
        var @new = JsonSerializer.Serialize(new { notesMonths, answersMonths });
        await retention.SetPolicyAsync(auditId, notesMonths, answersMonths,
            new AuditLogEntry(clock.GetUtcNow(), actor.UserId, actor.UserName, "set-retention", "audit", auditId.ToString(CultureInfo.InvariantCulture), old, @new));
    }

    public async Task<IReadOnlyList<LegalHold>> GetHoldsAsync(Actor actor, bool includeReleased = false)
    {
        await access.RequireAsync(actor, "legal-hold.list", Role.Scrutineer, Role.Administrator);
        return await retention.GetHoldsAsync(includeReleased);
    }

    public async Task<long> PlaceHoldAsync(Actor actor, long? auditId, string? caseRef, string? reason)
    {
        await access.RequireAsync(actor, "legal-hold.place", Role.Scrutineer, Role.Administrator);
        caseRef = string.IsNullOrWhiteSpace(caseRef) ? null : caseRef.Trim();
        if ((auditId is null) == (caseRef is null))
        {
            throw new DomainValidationException("A hold is on an audit or on a case reference: give one of them.");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength)
        {
            throw new DomainValidationException($"Give the reason for the hold (for example the inquiry's order), at most {MaxReasonLength} characters.");
        }

        if (auditId is { } id && await retention.GetAuditAsync(id) is null)
        {
            throw new DomainValidationException("There is no such audit.");
        }

        var now = clock.GetUtcNow();
        return await retention.PlaceHoldAsync(auditId, caseRef, reason.Trim(), actor.UserName, now,
            new AuditLogEntry(now, actor.UserId, actor.UserName, "place-hold", "legal-hold", null, null,
                JsonSerializer.Serialize(new { auditId, caseRef, reason = reason.Trim() }), auditId is { } a ? new LogSubject(a, caseRef) : null));
    }

    public async Task ReleaseHoldAsync(Actor actor, long holdId, string? reason)
    {
        await access.RequireAsync(actor, "legal-hold.release", Role.Scrutineer, Role.Administrator);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength)
        {
            throw new DomainValidationException("Give the reason the hold is released.");
        }

        var hold = (await retention.GetHoldsAsync(includeReleased: false)).FirstOrDefault(h => h.Id == holdId)
            ?? throw new DomainValidationException("There is no such hold in place.");
        var now = clock.GetUtcNow();
        await retention.ReleaseHoldAsync(holdId, actor.UserName, reason.Trim(), now,
            new AuditLogEntry(now, actor.UserId, actor.UserName, "release-hold", "legal-hold", holdId.ToString(CultureInfo.InvariantCulture),
                null, JsonSerializer.Serialize(new { hold.AuditId, hold.CaseRef, reason = reason.Trim() }),
                hold.AuditId is { } a ? new LogSubject(a, hold.CaseRef) : null));
    }

    /// <summary>
    /// One pass as of a day (today by default): notices for stages due within the notice period, disposal of stages due,
    /// nothing of what is held. A dry run says what it would do and changes nothing (no notice either).
    /// </summary>
    public async Task<RetentionPass> ApplyAsync(Actor actor, DateOnly? asOf = null, bool dryRun = false)
    {
        await access.RequireAsync(actor, "retention.apply", Role.Scrutineer, Role.Administrator);
        var now = clock.GetUtcNow();
        var today = asOf ?? DateOnly.FromDateTime(now.UtcDateTime);
        var holds = (await retention.GetHoldsAsync(includeReleased: false)).Where(h => h.IsActive).ToList();
        var heldRefs = holds.Where(h => h.CaseRef is not null).Select(h => h.CaseRef!).ToHashSet(StringComparer.Ordinal);
        var disposed = new List<RetentionOutcome>();
        var noticed = new List<RetentionOutcome>();
        var skipped = new List<RetentionOutcome>();
        foreach (var audit in await retention.GetAuditsAsync())
        {
            foreach (var stage in new[] { RetentionStage.Notes, RetentionStage.Answers })
            {
                if (audit.DueOn(stage, defaults) is not { } due || audit.DisposedUtc(stage) is not null)
                {
                    continue;
                }

                var auditHold = holds.FirstOrDefault(h => h.AuditId == audit.Id);
                if (auditHold is not null)
                {
                    if (today >= due.AddDays(-defaults.NoticeDays))
                    {
                        skipped.Add(new RetentionOutcome(audit.Id, audit.Title, stage, due,
                            $"the audit is held (since {auditHold.PlacedUtc:yyyy-MM-dd}, by {auditHold.PlacedBy}: {auditHold.Reason})", DisposalCounts.None));
                    }

                    continue;
                }

                var caseRefs = await retention.GetCaseRefsAsync(audit.Id);
                var held = caseRefs.Where(heldRefs.Contains).ToHashSet(StringComparer.Ordinal);
                var request = new DisposalRequest(audit.Id, stage, held, audit.PolicyText(defaults), actor, now, DryRun: dryRun || today < due);
                if (today >= due)
                {
                    var counts = await retention.DisposeAsync(request);
                    disposed.Add(new RetentionOutcome(audit.Id, audit.Title, stage, due, dryRun ? "would be destroyed" : "destroyed", counts));
                }
                else if (today >= due.AddDays(-defaults.NoticeDays))
                {
                    var counts = await retention.DisposeAsync(request with { DryRun = true });
                    if (!dryRun && counts.Total > 0)
                    {
                        await NoticeAsync(audit, stage, due, counts, held.Count, now);
                    }

                    noticed.Add(new RetentionOutcome(audit.Id, audit.Title, stage, due, dryRun ? "would be noticed" : "scrutineers told", counts));
                }
                else
                {
                    continue;
                }

                if (held.Count > 0)
                {
                    skipped.Add(new RetentionOutcome(audit.Id, audit.Title, stage, due,
                        $"{held.Count} held case{(held.Count == 1 ? "" : "s")} kept: {string.Join(", ", held.Order(StringComparer.Ordinal))}", DisposalCounts.None));
                }
            }
        }

        return new RetentionPass(today, dryRun, disposed, noticed, skipped);
    }

    private async Task NoticeAsync(RetentionAudit audit, RetentionStage stage, DateOnly due, DisposalCounts counts, int heldCases, DateTimeOffset now)
    {
        var what = stage == RetentionStage.Notes
            ? "its evidence notes, moderation rationales and amendment comments will be destroyed"
            : "its answers will be reduced to what the published figures need: case references replaced by random tokens, free-text and date answers and case attributes destroyed";
        var subject = $"Case content of “{audit.Title}” is due for disposal on {due:d MMMM yyyy}";
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Under the audit's retention policy ({audit.PolicyText(defaults)}), on {due:d MMMM yyyy} {what}.")
            .AppendLine()
            .AppendLine("What will be destroyed:");
        foreach (var (kind, count) in counts.Kinds())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {count} {kind}");
        }

        text.AppendLine()
            .AppendLine(heldCases > 0 ? $"{heldCases} case(s) under a legal hold are kept." : "No case of this audit is under a legal hold.")
            .AppendLine("The findings, actions, published figures and report are kept. To stop the disposal, place a legal hold on the audit or the case before that day.");
        var html = "<p>" + string.Join("</p><p>", text.ToString().Split(Environment.NewLine + Environment.NewLine).Select(p => WebUtility.HtmlEncode(p).Replace(Environment.NewLine, "<br>"))) + "</p>";
        var messages = (await users.GetAllAsync())
            .Where(u => u.Role == Role.Scrutineer && !u.IsDisabled && !string.IsNullOrWhiteSpace(u.Email))
            .Select(u => new NewOutboxMessage($"retention-due:{audit.Id}:{stage.ToString().ToLowerInvariant()}:{due:yyyy-MM-dd}:{u.Id}",
                NoticeKinds.RetentionDue, audit.Id, null, u.Id, u.Email!, subject, text.ToString(), html))
            .ToList();
        await outbox.AddAsync(messages, now);
    }
}
