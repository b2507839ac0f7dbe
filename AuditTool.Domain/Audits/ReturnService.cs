using System.Globalization;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Audits;

public sealed record AnswerView(object? Value, string? Evidence, DateTimeOffset UpdatedUtc);

/// <summary>A return as its reader may see it. <see cref="Editable"/> only for an auditor of its agency while open.</summary>
public sealed record ReturnView(
    AgencyReturn Return,
    Audit Audit,
    Agency Agency,
    TemplateDefinition Template,
    IReadOnlyDictionary<string, AnswerView> Answers,
    bool Editable)
{
    public IReadOnlyDictionary<string, object?> Values =>
        Answers.Where(a => a.Value.Value is not null).ToDictionary(a => a.Key, a => a.Value.Value);
}

public sealed record SubmitResult(bool Submitted, IReadOnlyList<QuestionDefinition> Missing);

/// <summary>
/// Completing returns. Who may read or write a return is decided here on every call, from the database, whatever id
/// the page sent: an auditor reads and writes their own agency's returns while the audit is open; from moderation on
/// they may also read the other agencies' returns of the cases whose own return their agency submitted; a scrutineer reads all; a manager
/// reads their agency's; an executive or administrator reads none.
/// </summary>
public sealed class ReturnService(
    IAuditRepository audits,
    ITemplateRepository templates,
    IAgencyRepository agencies,
    AccessPolicy access,
    IAuditLog log,
    IReturnChangeNotifier notifier,
    TimeProvider clock,
    DataProtection.IDisclosureLog? disclosures = null)
{
    public async Task<ReturnView> GetAsync(Actor actor, long returnId)
    {
        var user = await access.RequireAsync(actor, "returns.read", Role.Auditor, Role.Scrutineer, Role.Manager);
        var (ret, audit) = await LoadAsync(actor, returnId);
        if (!await CanReadAsync(user, ret, audit))
        {
            await RefuseAsync(actor, "returns.read", returnId);
        }

        var template = await templates.GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException($"Audit {audit.Id} points at a missing template version.");
        var agency = await agencies.GetByIdAsync(ret.AgencyId) ?? throw new InvalidOperationException("The return's agency is missing.");
        // Answers hidden by their condition are kept, not shown: they come back when the condition holds again.
        var stored = Answers.Shown(template, agency.Kind, await audits.GetAnswersAsync(returnId));
        var types = template.Questions.ToDictionary(q => q.Key, q => q.Type);
        var answers = stored
            .ToDictionary(a => a.QuestionKey, a => new AnswerView(Answers.Decode(types[a.QuestionKey], a.Value), a.Evidence, a.UpdatedUtc));
        var editable = user is { Role: Role.Auditor } && ret.AgencyId == user.AgencyId && audit.AcceptsAnswers &&
                       ReturnStatuses.IsEditable(ret.Status);
        return new ReturnView(ret, audit, agency, template, answers, editable);
    }

    /// <summary>
    /// One stored answer of a return, for a page that shows the return and heard that this answer changed: the same
    /// access as <see cref="GetAsync"/>, and only that answer read (null when it has none). Whether it is shown is the
    /// page's to decide from the answers it has, unless the answer decides a condition (then the page reads it whole).
    /// </summary>
    public async Task<AnswerView?> GetAnswerAsync(Actor actor, long returnId, string questionKey)
    {
        var user = await access.RequireAsync(actor, "returns.read", Role.Auditor, Role.Scrutineer, Role.Manager);
        var (ret, audit) = await LoadAsync(actor, returnId);
        if (!await CanReadAsync(user, ret, audit))
        {
            await RefuseAsync(actor, "returns.read", returnId);
        }

        var template = await templates.GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException($"Audit {audit.Id} points at a missing template version.");
        var question = template.Questions.FirstOrDefault(q => q.Key == questionKey);
        return question is null || await audits.GetAnswerAsync(returnId, questionKey) is not { } stored
            ? null
            : new AnswerView(Answers.Decode(question.Type, stored.Value), stored.Evidence, stored.UpdatedUtc);
    }

    /// <summary>The other agencies' returns of the same case: for moderation, and for auditors once revealed.</summary>
    public async Task<IReadOnlyList<ReturnView>> GetCaseReturnsAsync(Actor actor, long returnId)
    {
        var own = await GetAsync(actor, returnId);
        var user = await access.CurrentAsync(actor);
        var views = new List<ReturnView>();
        foreach (var r in (await audits.GetReturnsAsync(own.Audit.Id)).Where(r => r.CaseId == own.Return.CaseId))
        {
            if (r.Id == returnId)
            {
                views.Add(own);
            }
            else if (await CanReadAsync(user, r, own.Audit))
            {
                views.Add(await GetAsync(actor, r.Id));
            }
        }

        // The disclosure record: each other agency's return shown (the reveal), who saw it and when.
        var revealed = views.Where(v => v.Return.Id != returnId && v.Agency.Id != user?.AgencyId).ToList();
        if (disclosures is not null && revealed.Count > 0)
        {
            await disclosures.RecordAsync(actor, revealed.Select(v => new DataProtection.DisclosureSubject(v.Audit.Id, v.Return.CaseRef, v.Agency.Key)).ToList(),
                DataProtection.DisclosureKinds.Reveal, $"return of {string.Join(", ", revealed.Select(v => v.Agency.Name))} on case {own.Return.CaseRef}, seen beside the return of {own.Agency.Name}");
        }

        return views;
    }

    public Task<SaveResult> SaveAnswerAsync(Actor actor, long returnId, string questionKey, object? value) =>
        SaveFieldAsync(actor, returnId, questionKey, isValue: true, "returns.answer", (template, question, shown) =>
        {
            value = Answers.Normalise(question, value);
            if (Answers.Check(template, question, value) is { } problem)
            {
                throw new DomainValidationException($"\"{question.Text}\": {problem}");
            }

            if (!shown)
            {
                throw new DomainValidationException($"\"{question.Text}\" is not asked of this return, so it cannot be answered.");
            }

            return Answers.Encode(value);
        });

    public Task<SaveResult> SaveEvidenceAsync(Actor actor, long returnId, string questionKey, string? evidence) =>
        SaveFieldAsync(actor, returnId, questionKey, isValue: false, "returns.evidence", (_, question, shown) =>
        {
            if (!shown)
            {
                throw new DomainValidationException($"\"{question.Text}\" is not asked of this return, so it cannot have evidence.");
            }

            evidence = Answers.NormaliseEvidence(evidence);
            if (evidence?.Length > Answers.MaxEvidenceLength)
            {
                throw new DomainValidationException($"An evidence note is at most {Answers.MaxEvidenceLength:N0} characters; this one has {evidence.Length:N0}.");
            }

            return evidence;
        });

    /// <summary>
    /// The lean save: the account, the return, its audit and answers are read once, with the write lock, in the save's
    /// own first round trip, and every rule is checked on them here (the same rules as <see cref="GetAsync"/> and
    /// <see cref="EditableAsync"/>: an enabled auditor of the return's own agency, the audit open, the return not
    /// submitted, the question in the template and shown to this return); the write and its log line are the second.
    /// A refusal is logged after the save's transaction has ended, so it writes nothing else.
    /// </summary>
    private async Task<SaveResult> SaveFieldAsync(Actor actor, long returnId, string questionKey, bool isValue, string what,
        Func<TemplateDefinition, QuestionDefinition, bool, string?> check)
    {
        Refusal? refused = null;
        // The template is taken as already read: reading it inside the save would need a second connection while the
        // save's holds the write lock (many auditors at once could exhaust the pool). The first save after a start
        // reads it first and tries again.
        (long Id, TemplateDefinition Definition)? read = null;
        for (var attempt = 1; ; attempt++)
        {
            long? wanted = null;
            try
            {
                var now = clock.GetUtcNow();
                var result = await audits.SaveFieldAsync(
                    new FieldSave(returnId, questionKey, isValue, actor.IsSystem ? null : actor.UserId, actor.UserName, now,
                        notifier.NewsOf(returnId, questionKey, now)),
                    context =>
                    {
                        var user = context.Saver;
                        if (!actor.IsSystem && !AccessPolicy.Allows(user, Role.Auditor))
                        {
                            refused = Refusal.Role;
                            throw new AccessDeniedException("You do not have access to this.");
                        }

                        if (context is not { Return: { } ret, Audit: { } audit } ||
                            (user is not null && (ret.AgencyId != user.AgencyId || audit.Status == AuditStatuses.Planning)))
                        {
                            refused = Refusal.Return;
                            throw new AccessDeniedException("You do not have access to this return.");
                        }

                        // The command line (no account) never answers for an agency; nor does a return no longer open.
                        if (user is null || !audit.AcceptsAnswers || !ReturnStatuses.IsEditable(ret.Status))
                        {
                            throw Closed();
                        }

                        var template = read is { } r && r.Id == audit.TemplateVersionId ? r.Definition : templates.GetKeptVersion(audit.TemplateVersionId);
                        if (template is null)
                        {
                            wanted = audit.TemplateVersionId;
                            throw new TemplateNotAtHand();
                        }

                        var question = template.Questions.FirstOrDefault(q => q.Key == questionKey);
                        if (question is null || context.QuestionId is null)
                        {
                            throw new DomainValidationException($"This audit has no question \"{questionKey}\".");
                        }

                        var values = Answers.Decode(template, Answers.Shown(template, context.AgencyKind!, context.Answers));
                        return check(template, question, Visibility.IsShown(template, question, context.AgencyKind!, values));
                    });
                notifier.ChangedHere(returnId, questionKey, result.SavedUtc);
                return result;
            }
            catch (TemplateNotAtHand) when (wanted is { } versionId && attempt == 1)
            {
                read = (versionId, await templates.GetVersionAsync(versionId)
                    ?? throw new InvalidOperationException($"Return {returnId}'s audit points at a missing template version."));
            }
            catch (AccessDeniedException) when (refused is not null)
            {
                // Logged, and thrown again, as the reads' own checks would have.
                if (refused == Refusal.Return)
                {
                    await RefuseAsync(actor, what, returnId);
                }

                await access.RefuseAsync(actor, what);
                throw;
            }
        }
    }

    private sealed class TemplateNotAtHand : Exception;

    private enum Refusal
    {
        Role,
        Return,
    }

    /// <summary>Submits when every required question shown to this return is answered; otherwise lists what is missing.</summary>
    public async Task<SubmitResult> SubmitAsync(Actor actor, long returnId)
    {
        var (_, view) = await EditableAsync(actor, returnId, "returns.submit");
        var missing = Answers.Missing(view.Template, view.Agency.Kind, view.Values);
        if (missing.Count > 0)
        {
            return new SubmitResult(false, missing);
        }

        var now = clock.GetUtcNow();
        if (!await audits.SetReturnStatusAsync(returnId, view.Return.Status, ReturnStatuses.Submitted, null, now,
                new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName, "submit", "return",
                    returnId.ToString(CultureInfo.InvariantCulture), view.Return.Status, ReturnStatuses.Submitted)))
        {
            throw Closed();
        }

        notifier.Changed(returnId, string.Empty);
        return new SubmitResult(true, []);
    }

    /// <summary>A scrutineer sends a submitted return back to its agency with a comment saying what to amend.</summary>
    public async Task ReturnForAmendmentAsync(Actor actor, long returnId, string comment)
    {
        await access.RequireAsync(actor, "returns.return-for-amendment", Role.Scrutineer);
        var (ret, audit) = await LoadAsync(actor, returnId);
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new DomainValidationException("Say what needs amending: the comment goes to the agency's auditor.");
        }

        if (comment.Length > Audit.MaxTextLength)
        {
            throw new DomainValidationException($"A comment is at most {Audit.MaxTextLength:N0} characters.");
        }

        if (ret.Status != ReturnStatuses.Submitted || !audit.AcceptsAnswers)
        {
            throw new DomainValidationException("Only a submitted return of an open audit can be returned for amendment.");
        }

        var now = clock.GetUtcNow();
        // The comment is case content: the log keeps it for scrutineers only.
        if (!await audits.SetReturnStatusAsync(returnId, ReturnStatuses.Submitted, ReturnStatuses.Returned, comment.Trim(), now,
                new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName, "return-for-amendment", "return",
                    returnId.ToString(CultureInfo.InvariantCulture), ReturnStatuses.Submitted, comment.Trim(), CaseContent: true)))
        {
            throw new DomainValidationException("The return changed in the meantime: reload and try again.");
        }

        notifier.Changed(returnId, string.Empty);
    }

    private async Task<(User? User, ReturnView View)> EditableAsync(Actor actor, long returnId, string what)
    {
        var user = await access.RequireAsync(actor, what, Role.Auditor);
        var view = await GetAsync(actor, returnId);
        if (user is not null && view.Return.AgencyId != user.AgencyId)
        {
            await RefuseAsync(actor, what, returnId);
        }

        if (!view.Editable)
        {
            throw Closed();
        }

        return (user, view);
    }

    private async Task<(AgencyReturn Return, Audit Audit)> LoadAsync(Actor actor, long returnId)
    {
        var ret = await audits.GetReturnAsync(returnId);
        var audit = ret is null ? null : await audits.GetByIdAsync(ret.AuditId);
        if (ret is null || audit is null)
        {
            // An unknown id is refused like a forbidden one: ids are not a way to learn what exists.
            await RefuseAsync(actor, "returns.read", returnId);
        }

        return (ret!, audit!);
    }

    /// <summary>
    /// Who may read a return, the one rule: a scrutineer any; a manager their agency's; an auditor their agency's once the
    /// audit is past planning, and from moderation on (the reveal) also the other agencies' returns of the cases whose own
    /// return their agency submitted; nobody else. The command line (the system) reads all.
    /// </summary>
    private async Task<bool> CanReadAsync(User? user, AgencyReturn ret, Audit audit) => user is null || user.Role switch
    {
        Role.Scrutineer => true,
        Role.Manager => ret.AgencyId == user.AgencyId,
        Role.Auditor => audit.Status != AuditStatuses.Planning &&
                        (ret.AgencyId == user.AgencyId || (audit.IsRevealed && await AgencySubmittedCaseAsync(user, ret))),
        _ => false,
    };

    private async Task<bool> AgencySubmittedCaseAsync(User user, AgencyReturn ret) =>
        (await audits.GetReturnsAsync(ret.AuditId)).Any(r =>
            r.CaseId == ret.CaseId && r.AgencyId == user.AgencyId && r.Status == ReturnStatuses.Submitted);

    private async Task RefuseAsync(Actor actor, string what, long returnId)
    {
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName,
            "access-refused", "return", returnId.ToString(), null, what));
        throw new AccessDeniedException("You do not have access to this return.");
    }

    private static DomainValidationException Closed() =>
        new("This return can no longer be changed: it has been submitted, or the audit is not open for returns.");
}
