using System.Globalization;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Workbooks;

/// <summary>
/// Agency workbooks: download one agency's open returns of an open audit as a spreadsheet, fill it anywhere, upload it.
/// An auditor downloads and uploads their own agency's; a scrutineer any agency's (on behalf of agencies without
/// accounts); anyone else, another agency's workbook, or an audit no longer open is refused and written to the audit log.
/// An upload is checked whole before anything is saved; then one transaction saves it. Answers changed in the app after
/// the download are conflicts: listed with both values and kept unless the upload is confirmed to overwrite them.
/// </summary>
public sealed class WorkbookService(
    IAuditRepository audits,
    ITemplateRepository templates,
    IAgencyRepository agencies,
    IAgencyWorkbookFile file,
    IWorkbookStore store,
    AccessPolicy access,
    IAuditLog log,
    IReturnChangeNotifier notifier,
    TimeProvider clock,
    DataProtection.IDisclosureLog? disclosures = null)
{
    private const int Attempts = 3;

    /// <summary>The workbooks this person may download now: their agency's (auditor) or every agency's (scrutineer), open audits only.</summary>
    public async Task<IReadOnlyList<WorkbookOffer>> GetOffersAsync(Actor actor)
    {
        var user = await access.RequireAsync(actor, "workbooks.list", Role.Auditor, Role.Scrutineer);
        var byId = (await agencies.GetAllAsync()).ToDictionary(a => a.Id);
        var offers = new List<WorkbookOffer>();
        foreach (var audit in (await audits.GetManyAsync()).Where(a => a.AcceptsAnswers).OrderBy(a => a.Deadline ?? DateOnly.MaxValue).ThenBy(a => a.Id))
        {
            var returns = await audits.GetReturnsAsync(audit.Id);
            foreach (var group in returns.GroupBy(r => r.AgencyId).Where(g => byId.ContainsKey(g.Key)).OrderBy(g => byId[g.Key].Name, StringComparer.Ordinal))
            {
                if (user is { Role: Role.Auditor } && group.Key != user.AgencyId)
                {
                    continue;
                }

                var agency = byId[group.Key];
                offers.Add(new WorkbookOffer(audit.Id, audit.Title, audit.Deadline, agency.Key, agency.Name,
                    group.Count(r => ReturnStatuses.IsEditable(r.Status))));
            }
        }

        return offers;
    }

    /// <summary>Writes the agency's workbook for the audit to <paramref name="output"/>; its file name and how many cases it holds.</summary>
    public async Task<WorkbookDownload> DownloadAsync(Actor actor, long auditId, string agencyKey, Stream output)
    {
        const string what = "workbooks.download";
        var (user, audit, agency) = await AuthoriseAsync(actor, what, auditId, agencyKey);
        var template = await TemplateAsync(audit);
        var returns = (await audits.GetReturnsAsync(auditId)).Where(r => r.AgencyId == agency.Id).ToList();
        if (returns.Count == 0)
        {
            throw new DomainValidationException($"{agency.Name} has no returns in this audit.");
        }

        // The download time is taken before the answers are read: whatever changes after it is seen as a change.
        var downloaded = clock.GetUtcNow();
        var questions = Questions(template, agency.Kind);
        var definitions = template.Questions.ToDictionary(q => q.Key);
        var sheets = new List<WorkbookCaseSheet>();
        foreach (var (ret, sheetName) in returns.Zip(WorkbookFormat.SheetNames(returns.Select(r => r.CaseRef))))
        {
            // Submitted returns are left out: a workbook holds the returns that can still be changed.
            if (!ReturnStatuses.IsEditable(ret.Status))
            {
                continue;
            }

            var answers = new Dictionary<string, object>();
            var evidence = new Dictionary<string, string>();
            // A question its condition hides has its row, left blank: its stored answer is kept, not shown (and a blank
            // there is not read back as clearing it).
            foreach (var stored in Answers.Shown(template, agency.Kind, await audits.GetAnswersAsync(ret.Id)))
            {
                var question = definitions[stored.QuestionKey];
                if (stored.Value is not null && CellValue(template, question, stored.Value) is { } value)
                {
                    answers[stored.QuestionKey] = value;
                }

                if (stored.Evidence is not null)
                {
                    evidence[stored.QuestionKey] = stored.Evidence;
                }
            }

            sheets.Add(new WorkbookCaseSheet(sheetName, ret.CaseRef, ReturnStatuses.Label(ret.Status), answers, evidence));
        }

        if (sheets.Count == 0)
        {
            throw new DomainValidationException($"Every return of {agency.Name} in this audit is submitted: there is nothing left to fill in.");
        }

        var info = new WorkbookInfo(audit.Id, audit.Title, agency.Key, agency.Name, audit.Deadline, downloaded, actor.UserName);
        file.Write(new AgencyWorkbook(info, questions, sheets), output);
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), user?.Id, actor.UserName, "export", "audit", auditId.ToString(CultureInfo.InvariantCulture),
            null, $"agency workbook for {agency.Key}: {sheets.Count} open returns, downloaded {downloaded:O}"));
        if (disclosures is not null)
        {
            // The workbook carries each case's answers and evidence notes: each case is in the disclosure record.
            await disclosures.RecordAsync(actor, sheets.Select(c => new DataProtection.DisclosureSubject(auditId, c.CaseRef, agency.Key)).ToList(),
                DataProtection.DisclosureKinds.Export, $"agency workbook of {agency.Name} for “{audit.Title}”");
        }
        return new WorkbookDownload($"{FileNames.Slug(audit.Title)}-{agency.Key}-workbook.xlsx", sheets.Count);
    }

    /// <summary>
    /// Checks a filled workbook whole, then saves it in one transaction. Problems (with their place) are thrown as a
    /// <see cref="WorkbookException"/> and nothing is saved.
    /// </summary>
    public async Task<WorkbookUploadResult> UploadAsync(Actor actor, Stream workbook, string fileName, bool overwrite)
    {
        const string what = "workbooks.upload";
        var user = await access.RequireAsync(actor, what, Role.Auditor, Role.Scrutineer);
        var reading = file.Read(workbook);
        var (auditId, agencyKey, downloaded) = ReadInstructions(reading);
        var (_, audit, agency) = await AuthoriseAsync(actor, what, auditId, agencyKey);
        var template = await TemplateAsync(audit);
        for (var attempt = 1; ; attempt++)
        {
            var plan = await PlanAsync(reading, template, audit, agency, downloaded, overwrite);
            var result = plan.Result;
            var summary = $"agency workbook {Path.GetFileName(fileName)} for {agency.Key}: {result.Headline}" +
                          (overwrite ? " (conflicts overwritten as confirmed)" : "");
            if (await store.SaveAsync(new WorkbookSave(audit.Id, plan.Returns, user?.Id, actor.UserName, clock.GetUtcNow(), summary)))
            {
                foreach (var ret in plan.Returns)
                {
                    foreach (var key in ret.Changes.Select(c => c.QuestionKey).Distinct())
                    {
                        notifier.Changed(ret.ReturnId, key);
                    }

                    if (ret.Submit)
                    {
                        notifier.Changed(ret.ReturnId, string.Empty);
                    }
                }

                return result;
            }

            // Someone saved in the app between the checks and the save, or the audit closed: check again from the start.
            if (attempt == Attempts)
            {
                throw new DomainValidationException("The returns kept changing in the app while the workbook was being checked: upload it again.");
            }

            (_, audit, agency) = await AuthoriseAsync(actor, what, auditId, agencyKey);
        }
    }

    private sealed record Plan(IReadOnlyList<ReturnUpload> Returns, WorkbookUploadResult Result);

    private async Task<Plan> PlanAsync(WorkbookReading reading, TemplateDefinition template, Audit audit, Agency agency, DateTimeOffset downloaded,
        bool overwrite)
    {
        var problems = new Problems();
        problems.AddRange(reading.Problems);
        var returns = (await audits.GetReturnsAsync(audit.Id)).Where(r => r.AgencyId == agency.Id).ToList();
        var byName = returns.Zip(WorkbookFormat.SheetNames(returns.Select(r => r.CaseRef)))
            .ToDictionary(x => x.Second, x => x.First, StringComparer.OrdinalIgnoreCase);
        var shown = template.Sections.Where(s => s.AppliesTo(agency.Kind)).SelectMany(s => s.Questions).ToDictionary(q => q.Key);
        var uploads = new List<ReturnUpload>();
        var saved = new List<WorkbookSaved>();
        var conflicts = new List<WorkbookConflict>();
        var submitted = new List<string>();
        // The answers first, then what changed since the download: a save in between is either seen as a conflict or
        // makes the store refuse (the answers are not what was checked) and the upload is checked again.
        var answersByReturn = await audits.GetAnswersByAuditAsync(audit.Id);
        var changedSince = await store.ChangedSinceAsync(returns.Select(r => r.Id).ToList(), downloaded);
        var unchanged = 0;
        foreach (var sheet in reading.Sheets)
        {
            if (string.Equals(sheet.Name, WorkbookFormat.InstructionsSheet, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!byName.TryGetValue(sheet.Name, out var ret))
            {
                if (sheet.HasContent)
                {
                    problems.Add($"{sheet.Name}!A1: this sheet is not a case of {agency.Name} in \"{audit.Title}\". Keep only the case sheets the workbook came with.");
                }

                continue;
            }

            if (!sheet.HasTable)
            {
                problems.Add($"{sheet.Name}!A1: the question table is missing (a header row with the columns Key, Answer and Evidence).");
                continue;
            }

            var stored = (answersByReturn.GetValueOrDefault(ret.Id) ?? []).ToDictionary(a => a.QuestionKey);
            var final = new Dictionary<string, object?>(Answers.Decode(template, stored.Values));
            // What the return shows before this upload: a hidden question's row was downloaded blank, so a blank there
            // leaves its kept answer and note as they are.
            var shownBefore = Answers.Shown(template, agency.Kind, stored.Values.ToList()).Select(a => a.QuestionKey).ToHashSet(StringComparer.Ordinal);
            var rowOf = new Dictionary<string, WorkbookRow>();
            var rows = new List<(QuestionDefinition Question, WorkbookRow Row, object? Value, string? Evidence)>();
            foreach (var row in sheet.Rows)
            {
                if (row.Key.IsBlank)
                {
                    if (!row.Answer.IsBlank || !row.Evidence.IsBlank)
                    {
                        problems.Add($"{(row.Answer.IsBlank ? row.Evidence : row.Answer).Address}: this row has no question key (column Key), so it cannot be saved.");
                    }

                    continue;
                }

                var key = Text(row.Key).Trim();
                if (!shown.TryGetValue(key, out var question))
                {
                    problems.Add($"{row.Key.Address}: \"{Shorten(key)}\" is not a question of \"{audit.Title}\" for {agency.Name}.");
                    continue;
                }

                if (!rowOf.TryAdd(key, row))
                {
                    problems.Add($"{row.Key.Address}: the question \"{key}\" is already on row {rowOf[key].Row}.");
                    continue;
                }

                var answerOk = TryReadAnswer(template, question, row.Answer, problems, out var value);
                var evidenceOk = TryReadEvidence(row.Evidence, problems, out var evidence);
                if (answerOk && evidenceOk)
                {
                    rows.Add((question, row, value, evidence));
                }
            }

            var changes = new List<FieldChange>();
            var written = new Dictionary<string, WorkbookRow>();
            var evidenceWritten = new Dictionary<string, WorkbookRow>();
            foreach (var (question, row, value, evidence) in rows)
            {
                var before = stored.GetValueOrDefault(question.Key);
                var hidden = before is not null && !shownBefore.Contains(question.Key);
                void Compare(string field, string? old, string? now, WorkbookCell cell)
                {
                    // Compared as saves store them (line breaks as LF): a note a spreadsheet hands back with CR LF is unchanged.
                    if ((hidden && cell.IsBlank) || (old is null ? null : Answers.Lines(old)) == now)
                    {
                        unchanged++;
                        return;
                    }

                    if (changedSince.TryGetValue((ret.Id, question.Key, field), out var changedAt))
                    {
                        conflicts.Add(new WorkbookConflict(ret.CaseRef, cell.Address, question.Key, question.Text, field,
                            Display(template, question, field, old), Display(template, question, field, now), changedAt, overwrite));
                        if (!overwrite)
                        {
                            return;
                        }
                    }

                    changes.Add(new FieldChange(question.Key, field, old, now));
                    saved.Add(new WorkbookSaved(ret.CaseRef, question.Key, question.Text, field,
                        Display(template, question, field, old), Display(template, question, field, now)));
                    if (field == WorkbookFields.Answer)
                    {
                        final[question.Key] = value;
                        if (value is not null)
                        {
                            written[question.Key] = row;
                        }
                    }
                    else if (now is not null)
                    {
                        evidenceWritten[question.Key] = row;
                    }
                }

                Compare(WorkbookFields.Answer, before?.Value, Answers.Encode(value), row.Answer);
                Compare(WorkbookFields.Evidence, before?.Evidence, evidence, row.Evidence);
            }

            // Conditions are checked on the answers as they will be: an answer or note written to a question that its
            // condition hides is refused, as it is in the app.
            foreach (var (key, row) in written)
            {
                var question = shown[key];
                if (!Visibility.IsShown(template, question, agency.Kind, final))
                {
                    problems.Add($"{row.Answer.Address}: \"{Shorten(question.Text)}\" is answered only {When(template, question)}; leave it blank or change that answer.");
                }
            }

            foreach (var (key, row) in evidenceWritten)
            {
                var question = shown[key];
                if (!Visibility.IsShown(template, question, agency.Kind, final))
                {
                    problems.Add($"{row.Evidence.Address}: \"{Shorten(question.Text)}\" is answered only {When(template, question)}, so it has no evidence either; leave it blank or change that answer.");
                }
            }

            var submit = TryReadSubmit(sheet.Submit, problems);
            if (!ReturnStatuses.IsEditable(ret.Status))
            {
                if (changes.Count > 0)
                {
                    problems.Add($"{sheet.Submit?.Address ?? sheet.Name + "!A1"}: the return for {ret.CaseRef} has been submitted, so it can no longer be changed; " +
                                 "ask the scrutineer to return it for amendment, then download a new workbook.");
                }

                continue;
            }

            if (submit)
            {
                var missing = Answers.Missing(template, agency.Kind, final);
                foreach (var question in missing.Where(q => rowOf.ContainsKey(q.Key)))
                {
                    problems.Add($"{rowOf[question.Key].Answer.Address}: \"{Shorten(question.Text)}\" must be answered before this return can be submitted (Submit this return is Yes).");
                }

                // Required questions whose rows were deleted: one problem at the submit cell names them all.
                if (missing.Where(q => !rowOf.ContainsKey(q.Key)).Select(q => $"\"{Shorten(q.Text)}\"").ToList() is { Count: > 0 } rowless)
                {
                    problems.Add($"{sheet.Submit!.Address}: {string.Join(", ", rowless)} must be answered before this return can be submitted (Submit this return is Yes), " +
                                 "and their rows are missing; download a new workbook.");
                }

                submitted.Add(ret.CaseRef);
            }

            if (changes.Count > 0 || submit)
            {
                uploads.Add(new ReturnUpload(ret.Id, ret.Status, stored.Values.ToList(), changes, submit));
            }
        }

        if (problems.Count > 0)
        {
            throw new WorkbookException(problems.List);
        }

        return new Plan(uploads, new WorkbookUploadResult(audit.Id, audit.Title, agency.Name, unchanged, saved, conflicts, submitted));
    }

    private static (long AuditId, string AgencyKey, DateTimeOffset Downloaded) ReadInstructions(WorkbookReading reading)
    {
        if (!reading.Instructions.TryGetValue(WorkbookFormat.FormatLabel, out var format) || format.Kind == CellKind.Formula ||
            Text(format).Trim() != WorkbookFormat.Name)
        {
            // Not an agency workbook at all: one plain line says so, not a list of everything it lacks.
            throw new WorkbookException([$"{format?.Address ?? WorkbookFormat.InstructionsSheet + "!A1"}: this is not an AuditTool agency workbook " +
                $"({WorkbookFormat.Name}): its Instructions sheet does not say which audit and agency it is for. Download the workbook from AuditTool and fill that in."]);
        }

        var problems = new Problems();
        string? Value(string label, string problem)
        {
            if (reading.Instructions.TryGetValue(label, out var cell) && !cell.IsBlank && cell.Kind != CellKind.Formula)
            {
                return Text(cell).Trim();
            }

            problems.Add($"{cell?.Address ?? WorkbookFormat.InstructionsSheet + "!A1"}: {problem}");
            return null;
        }

        var auditText = Value(WorkbookFormat.AuditIdLabel, $"\"{WorkbookFormat.AuditIdLabel}\" is missing.");
        var agencyKey = Value(WorkbookFormat.AgencyKeyLabel, $"\"{WorkbookFormat.AgencyKeyLabel}\" is missing.");
        // The hidden stamp row; a workbook made before that row existed carried the same text as "Downloaded (UTC)".
        var stampLabel = reading.Instructions.ContainsKey(WorkbookFormat.DownloadStampLabel) || !reading.Instructions.ContainsKey(WorkbookFormat.LegacyDownloadedLabel)
            ? WorkbookFormat.DownloadStampLabel
            : WorkbookFormat.LegacyDownloadedLabel;
        var downloadedText = Value(stampLabel, $"\"{WorkbookFormat.DownloadStampLabel}\" is missing (a hidden row of the Instructions sheet): the upload needs it to find answers changed in the app since. Download the workbook again.");
        long auditId = 0;
        if (auditText is not null && !long.TryParse(auditText, NumberStyles.Integer, CultureInfo.InvariantCulture, out auditId))
        {
            problems.Add($"{reading.Instructions[WorkbookFormat.AuditIdLabel].Address}: \"{Shorten(auditText)}\" is not an audit id.");
        }

        var downloaded = DateTimeOffset.MinValue;
        if (downloadedText is not null && !DateTimeOffset.TryParseExact(downloadedText, "O", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out downloaded))
        {
            problems.Add($"{reading.Instructions[stampLabel].Address}: \"{Shorten(downloadedText)}\" is not the download time this workbook was given.");
        }

        if (problems.Count > 0)
        {
            throw new WorkbookException(problems.List);
        }

        return (auditId, agencyKey!, downloaded);
    }

    private async Task<(Accounts.User? User, Audit Audit, Agency Agency)> AuthoriseAsync(Actor actor, string what, long auditId, string agencyKey)
    {
        var user = await access.RequireAsync(actor, what, Role.Auditor, Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId);
        var agency = Agency.IsValidKey(agencyKey) ? await agencies.GetByKeyAsync(agencyKey) : null;
        if (audit is null || agency is null)
        {
            // Unknown ids are refused like forbidden ones: ids are not a way to learn what exists.
            await RefuseAsync(actor, what, auditId, agencyKey, "You do not have access to this audit's returns.");
        }

        if (user is { Role: Role.Auditor } && agency!.Id != user.AgencyId)
        {
            await RefuseAsync(actor, what, auditId, agencyKey,
                $"This workbook is for {agency.Name}'s returns: you may download and upload only your own agency's.");
        }

        if (!audit!.AcceptsAnswers)
        {
            await RefuseAsync(actor, what, auditId, agencyKey,
                $"\"{audit.Title}\" is not open for returns (it is {AuditStatuses.Label(audit.Status).ToLowerInvariant()}), so its workbooks can no longer be downloaded or uploaded.");
        }

        return (user, audit, agency!);
    }

    private async Task RefuseAsync(Actor actor, string what, long auditId, string agencyKey, string message)
    {
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName,
            "access-refused", "workbook", $"{auditId}/{Shorten(agencyKey)}", null, what));
        throw new AccessDeniedException(message);
    }

    private async Task<TemplateDefinition> TemplateAsync(Audit audit) =>
        await templates.GetVersionAsync(audit.TemplateVersionId)
        ?? throw new InvalidOperationException($"Audit {audit.Id} points at a missing template version.");

    /// <summary>Every question of the sections that apply to the agency's kind, in template order, conditional ones included.</summary>
    public static IReadOnlyList<WorkbookQuestion> Questions(TemplateDefinition template, string agencyKind) =>
        template.Sections.Where(s => s.AppliesTo(agencyKind))
            .SelectMany(s => s.Questions.Select(q =>
            {
                var labels = template.OptionsOf(q).Select(o => o.Label).ToList();
                var kind = q.Type switch
                {
                    QuestionType.Scale or QuestionType.Choice => AnswerKind.Option,
                    QuestionType.MultiChoice => AnswerKind.MultiChoice,
                    QuestionType.Number => AnswerKind.Number,
                    QuestionType.Date => AnswerKind.Date,
                    _ => AnswerKind.Text,
                };
                var how = kind switch
                {
                    AnswerKind.Option => $"Choose one: {string.Join(", ", labels)}.",
                    AnswerKind.MultiChoice => $"One or more of: {string.Join(WorkbookFormat.ChoiceSeparator, labels)} (separated by \"; \").",
                    AnswerKind.Number => "A number.",
                    AnswerKind.Date => "A date, yyyy-mm-dd.",
                    _ => "Text.",
                };
                return new WorkbookQuestion(s.Title, q.Key, q.Text, q.Guidance, q.Required,
                    q.ShowIf is null ? null : $"Answer only {When(template, q)}.", how, kind, labels);
            }))
            .ToList();

    /// <summary>"when “Was the child seen alone?” is Yes or Partly".</summary>
    private static string When(TemplateDefinition template, QuestionDefinition question)
    {
        var showIf = question.ShowIf!;
        var source = template.Questions.FirstOrDefault(q => q.Key == showIf.Question);
        if (source is null)
        {
            return "when its condition holds";
        }

        var labels = template.OptionsOf(source).ToDictionary(o => o.Value, o => o.Label);
        return $"when \u201c{source.Text}\u201d is {string.Join(" or ", showIf.In.Select(v => labels.GetValueOrDefault(v) ?? v))}";
    }

    /// <summary>A stored answer as the workbook's cell shows it.</summary>
    private static object? CellValue(TemplateDefinition template, QuestionDefinition question, string stored)
    {
        var labels = template.OptionsOf(question).ToDictionary(o => o.Value, o => o.Label);
        return question.Type switch
        {
            QuestionType.Scale or QuestionType.Choice => labels.GetValueOrDefault(stored) ?? stored,
            QuestionType.MultiChoice => Answers.Decode(question.Type, stored) is IEnumerable<string> many
                ? string.Join(WorkbookFormat.ChoiceSeparator, many.Select(v => labels.GetValueOrDefault(v) ?? v))
                : null,
            QuestionType.Number when double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
            QuestionType.Date when DateOnly.TryParseExact(stored, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
            _ => stored,
        };
    }

    private static bool TryReadAnswer(TemplateDefinition template, QuestionDefinition question, WorkbookCell cell, Problems problems, out object? value)
    {
        value = null;
        switch (cell.Kind)
        {
            case CellKind.Formula:
                problems.Add($"{cell.Address}: this cell holds a formula: type the answer, not a formula.");
                return false;
            case CellKind.Error:
                problems.Add($"{cell.Address}: this cell shows an error instead of an answer: type the answer.");
                return false;
        }

        if (cell.IsBlank)
        {
            return true;
        }

        var options = template.OptionsOf(question);
        string? Match(string text) =>
            options.FirstOrDefault(o => string.Equals(o.Label, text, StringComparison.OrdinalIgnoreCase))?.Value
            ?? options.FirstOrDefault(o => string.Equals(o.Value, text, StringComparison.OrdinalIgnoreCase))?.Value;
        var labels = string.Join(", ", options.Select(o => o.Label));
        var text = Text(cell);
        switch (question.Type)
        {
            case QuestionType.Scale:
            case QuestionType.Choice:
                if (Match(text.Trim()) is not { } chosen)
                {
                    problems.Add($"{cell.Address}: \"{Shorten(text.Trim())}\" is not one of {labels}");
                    return false;
                }

                value = chosen;
                break;
            case QuestionType.MultiChoice:
                var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var values = new List<string>();
                foreach (var part in parts)
                {
                    if (Match(part) is not { } one)
                    {
                        problems.Add($"{cell.Address}: \"{Shorten(part)}\" is not one of {labels}");
                        return false;
                    }

                    if (values.Contains(one))
                    {
                        problems.Add($"{cell.Address}: \"{Shorten(part)}\" is chosen twice.");
                        return false;
                    }

                    values.Add(one);
                }

                value = values.Count == 0 ? null : values;
                break;
            case QuestionType.Number:
                if (cell.Kind is CellKind.Date or CellKind.Boolean ||
                    !double.TryParse(cell.Kind == CellKind.Number ? text : text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ||
                    !double.IsFinite(number))
                {
                    problems.Add($"{cell.Address}: \"{Shorten(text.Trim())}\" is not a number.");
                    return false;
                }

                value = Answers.Normalise(question, number.ToString(CultureInfo.InvariantCulture));
                break;
            case QuestionType.Date:
                if (cell.Kind == CellKind.Date)
                {
                    value = DateOnly.FromDateTime(cell.Date!.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
                else if (cell.Kind == CellKind.Text &&
                         DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    value = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
                else
                {
                    problems.Add($"{cell.Address}: \"{Shorten(text.Trim())}\" is not a date: write it as yyyy-mm-dd (for example 2026-03-14).");
                    return false;
                }

                break;
            default:
                // Text is kept exactly as typed, even when it looks like a formula: it is stored and shown as text.
                value = Answers.Normalise(question, text);
                break;
        }

        if (Answers.Check(template, question, value) is { } problem)
        {
            problems.Add($"{cell.Address}: {problem}");
            return false;
        }

        return true;
    }

    private static bool TryReadEvidence(WorkbookCell cell, Problems problems, out string? evidence)
    {
        evidence = null;
        if (cell.Kind == CellKind.Formula)
        {
            problems.Add($"{cell.Address}: this cell holds a formula: type the evidence note, not a formula.");
            return false;
        }

        if (cell.IsBlank || cell.Kind == CellKind.Error)
        {
            return cell.Kind != CellKind.Error || Fail(problems, $"{cell.Address}: this cell shows an error instead of an evidence note.");
        }

        evidence = Answers.NormaliseEvidence(Text(cell))!;
        if (evidence.Length > Answers.MaxEvidenceLength)
        {
            problems.Add($"{cell.Address}: an evidence note is at most {Answers.MaxEvidenceLength:N0} characters; this one has {evidence.Length:N0}.");
            return false;
        }

        return true;
    }

    private static bool TryReadSubmit(WorkbookCell? cell, Problems problems)
    {
        if (cell is null || cell.IsBlank)
        {
            return false;
        }

        if (cell.Kind == CellKind.Formula)
        {
            problems.Add($"{cell.Address}: this cell holds a formula: choose Yes or No.");
            return false;
        }

        var text = Text(cell).Trim();
        if (string.Equals(text, WorkbookFormat.Yes, StringComparison.OrdinalIgnoreCase) || text == "TRUE")
        {
            return true;
        }

        if (string.Equals(text, WorkbookFormat.No, StringComparison.OrdinalIgnoreCase) || text == "FALSE")
        {
            return false;
        }

        problems.Add($"{cell.Address}: \"{Shorten(text)}\" is not one of Yes, No");
        return false;
    }

    private static bool Fail(Problems problems, string problem)
    {
        problems.Add(problem);
        return false;
    }

    /// <summary>A cell's value as text: numbers in invariant form, dates as yyyy-mm-dd.</summary>
    private static string Text(WorkbookCell cell) => cell.Kind switch
    {
        CellKind.Number => cell.Number!.Value.ToString(CultureInfo.InvariantCulture),
        CellKind.Date => cell.Date!.Value.TimeOfDay == TimeSpan.Zero
            ? cell.Date.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : cell.Date.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        _ => cell.Text ?? string.Empty,
    };

    /// <summary>A stored value as people read it: option labels, "(blank)" for nothing.</summary>
    private static string? Display(TemplateDefinition template, QuestionDefinition question, string field, string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        return field == WorkbookFields.Answer && CellValue(template, question, stored) is { } shown
            ? shown switch
            {
                double d => d.ToString(CultureInfo.InvariantCulture),
                DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => shown.ToString(),
            }
            : stored;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text;

    /// <summary>
    /// Problems in the order found, the first <see cref="WorkbookFormat.MaxProblems"/> kept, a cell's first problem only:
    /// a value that cannot be read is not also reported as missing (a sheet name cannot hold ':', so a problem's place is
    /// what comes before its first ": ").
    /// </summary>
    private sealed class Problems
    {
        private readonly HashSet<string> _cells = new(StringComparer.OrdinalIgnoreCase);

        public List<string> List { get; } = [];

        public int Count => List.Count;

        public void Add(string problem)
        {
            var colon = problem.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && problem.AsSpan(0, colon).Contains('!') && !_cells.Add(problem[..colon]))
            {
                return;
            }

            if (List.Count < WorkbookFormat.MaxProblems)
            {
                List.Add(problem);
            }
        }

        public void AddRange(IEnumerable<string> problems)
        {
            foreach (var p in problems)
            {
                Add(p);
            }
        }
    }
}
