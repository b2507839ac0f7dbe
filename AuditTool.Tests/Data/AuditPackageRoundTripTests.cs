using System.Globalization;
using System.Text;
using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Domain.Workbooks;
using AuditTool.Tests.Support;
using ClosedXML.Excel;
using Xunit.Abstractions;

namespace AuditTool.Tests.Data;

/// <summary>
/// The promise of the audit package, checked on generated histories: whatever answers, condition flips, workbook
/// uploads, amendments and moderation an audit went through (all through the real services on a real database), its
/// export imports into an empty database and exports again to the very same package. The package carries no ids or
/// timestamps, so the two files are compared as they are, byte for byte, with nothing normalised.
/// </summary>
public abstract class AuditPackageRoundTripTests(ITestOutputHelper output, DatabaseEngine engine) : DatabaseTests(engine)
{
    private static readonly ScaleOption[] YesNo = [new("yes", "Yes", 1, Polarity.Positive), new("no", "No", 0, Polarity.Negative)];

    /// <summary>Conditions of every shape: on a choice, in a chain (a condition on a conditional question), on a multiple choice.</summary>
    public static readonly TemplateDefinition Template = new TemplateDefinition("round-trip", 1, "Round trip", "", new Dictionary<string, IReadOnlyList<ScaleOption>>(),
    [
        new SectionDefinition("plan", "The plan", "", [],
        [
            Question("multi-agency", "Was there a multi-agency plan?", QuestionType.Choice, required: false, options: YesNo),
            Question("plan-lead", "Who led the plan?", QuestionType.Choice, showIf: new ShowIf("multi-agency", ["yes"]),
                options: [new("police", "Police", 1, Polarity.Positive), new("health", "Health", 1, Polarity.Positive), new("social-care", "Social care", 1, Polarity.Positive)]),
            Question("plan-reviewed", "Was the plan reviewed on time?", QuestionType.Scale, scale: "yes-partly-no", showIf: new ShowIf("plan-lead", ["health", "social-care"])),
            Question("plan-notes", "What did the plan change?", QuestionType.Text, required: false, showIf: new ShowIf("multi-agency", ["yes"])),
        ]),
        new SectionDefinition("child", "The child", "", [],
        [
            Question("seen-alone", "Was the child seen alone?", QuestionType.Scale, scale: "yes-partly-no"),
            Question("voice", "Is the child's voice recorded?", QuestionType.Scale, scale: "yes-partly-no", showIf: new ShowIf("seen-alone", ["yes", "partly"])),
            Question("partners", "Which partners were consulted?", QuestionType.MultiChoice, required: false,
                options: [new("police", "Police", 1, Polarity.Positive), new("school", "School", 1, Polarity.Positive), new("none", "None", 0, Polarity.Negative)]),
            Question("partner-days", "Days until the partners met", QuestionType.Number, required: false, showIf: new ShowIf("partners", ["police", "school"])),
            Question("reviewed-on", "When was the case last reviewed?", QuestionType.Date, required: false),
        ]),
        new SectionDefinition("school", "School", "", ["education"], [Question("attendance", "Was attendance followed up?", QuestionType.Scale, scale: "yes-partly-no")]),
        new SectionDefinition("overall", "Overall", "", [], [Question("overall", "Overall, how good was the practice?", QuestionType.Scale, scale: "ofsted4")]),
    ]);

    private static readonly IReadOnlyList<QuestionDefinition> Questions = Template.Questions.ToList();

    private const int Sequences = 50;
    private const int FirstSeed = 1;

    private static readonly string[] Texts =
    [
        "Seen at home with her mother.", "Two lines\r\nfrom Windows", "One\rold Mac line", "=SUM(A1:A3) is what the record says",
        "She said \"I'm fine\", then cried.\nSeen again on 3 March.", "+44 and @mention", "Plain note",
    ];

    private static QuestionDefinition Question(string key, string text, QuestionType type, bool required = true, string? scale = null,
        ShowIf? showIf = null, IReadOnlyList<ScaleOption>? options = null) =>
        new(key, text, "", type, scale, options ?? [], required, 1, [], showIf);

    [Fact]
    public async Task ExportedAudit_ImportsIntoAnEmptyDatabase_AndExportsTheSamePackage_AfterAnyHistory()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);
        var versionId = await s.Db.Get<ITemplateRepository>().CreateVersionAsync(Template, TemplateStatus.Published, DateTimeOffset.UtcNow);
        var failures = new List<string>();
        var coverage = new Coverage();
        // PostgreSQL makes every step slower: fewer histories keep the test within a minute there too.
        var sequences = Engine == DatabaseEngine.Sqlite ? Sequences : Sequences * 3 / 5;
        for (var seed = FirstSeed; seed < FirstSeed + sequences; seed++)
        {
            var history = new History(s, seed, coverage);
            try
            {
                await history.RunAsync(versionId);
                if (await HiddenAnswersAsync(s, history.AuditId) > 0)
                {
                    coverage.HistoriesWithHiddenAnswers++;
                }

                var first = await ExportAsync(s.Db, history.AuditId);
                using var empty = NewDatabase();
                long copyId;
                try
                {
                    copyId = await empty.Get<AuditPackageService>().ImportAsync(Actor.System, new MemoryStream(Encoding.UTF8.GetBytes(first)), $"seed-{seed}.json");
                }
                catch (AuditPackageException ex)
                {
                    throw new RoundTripFailure($"the export was refused on import: {string.Join(" | ", ex.Problems.Take(5))}");
                }

                var again = await ExportAsync(empty, copyId);
                if (again != first)
                {
                    throw new RoundTripFailure($"the package exported again differs: {FirstDifference(first, again)}");
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A broken promise says what broke; anything else (a step that threw) shows where it threw.
                var what = ex is RoundTripFailure ? ex.Message : string.Join("\n  ", ex.ToString().Split('\n').Take(6));
                failures.Add($"seed {seed}: {what}\n  operations:\n    {string.Join("\n    ", history.Log.TakeLast(40))}");
            }
        }

        output.WriteLine($"{sequences} histories: {coverage.HistoriesWithHiddenAnswers} ended with hidden answers kept, {coverage.WorkbooksSaved} workbook uploads saved, " +
                         $"{coverage.Submitted} submissions, {coverage.Amendments} amendments, {coverage.Moderated} moderations");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sequences} generated histories failed (run one again by setting FirstSeed to its seed and Sequences to 1):\n" +
            string.Join("\n", failures.Take(3)));
        // The histories did what they are for: answers hidden by a flipped condition, workbooks saved, amendments, moderation.
        Assert.True(coverage.HistoriesWithHiddenAnswers >= sequences / 3, $"only {coverage.HistoriesWithHiddenAnswers} histories ended with a hidden answer kept");
        Assert.True(coverage.WorkbooksSaved >= sequences / 3, $"only {coverage.WorkbooksSaved} workbook uploads saved something");
        Assert.True(coverage.Amendments > 0 && coverage.Moderated > 0 && coverage.Submitted > 0,
            $"submitted {coverage.Submitted}, returned for amendment {coverage.Amendments}, moderated {coverage.Moderated}");
    }

    /// <summary>Stored answers and notes that their return does not show (a condition hides them).</summary>
    private static async Task<int> HiddenAnswersAsync(AuditScenario s, long auditId)
    {
        var repo = s.Db.Get<IAuditRepository>();
        var answers = await repo.GetAnswersByAuditAsync(auditId);
        var hidden = 0;
        foreach (var r in await repo.GetReturnsAsync(auditId))
        {
            var stored = answers.GetValueOrDefault(r.Id) ?? [];
            var kind = r.AgencyId == s.PoliceId ? "police" : "education";
            var values = Answers.Decode(Template, stored);
            hidden += stored.Count(a => !Visibility.IsShown(Template, Questions.First(q => q.Key == a.QuestionKey), kind, values));
        }

        return hidden;
    }

    private sealed class Coverage
    {
        public int HistoriesWithHiddenAnswers { get; set; }

        public int WorkbooksSaved { get; set; }

        public int Submitted { get; set; }

        public int Amendments { get; set; }

        public int Moderated { get; set; }
    }

    private static async Task<string> ExportAsync(TestDatabase db, long auditId)
    {
        using var stream = new MemoryStream();
        await db.Get<AuditPackageService>().ExportAsync(Actor.System, auditId, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string FirstDifference(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var x = i < left.Length ? left[i] : "(end)";
            var y = i < right.Length ? right[i] : "(end)";
            if (x != y)
            {
                return $"line {i + 1}: first \"{x.Trim()}\", again \"{y.Trim()}\"";
            }
        }

        return "(none)";
    }

    private sealed class RoundTripFailure(string message) : Exception(message);

    /// <summary>One generated history of one audit: every step through the services a person's action goes through.</summary>
    private sealed class History(AuditScenario s, int seed, Coverage coverage)
    {
        private string _status = AuditStatuses.Open;

        private readonly Random _random = new(seed);
        private List<AgencyReturn> _returns = [];

        public long AuditId { get; private set; }

        public List<string> Log { get; } = [];

        public async Task RunAsync(long versionId)
        {
            AuditId = await s.Planning.CreateAsync(s.Scrutineer,
                new AuditPlan($"Round trip {seed}", AuditKinds.MultiAgency, "Purpose", "All", new DateOnly(2026, 12, 18), Thresholds.Default),
                versionId, [s.PoliceId, s.EducationId]);
            for (var i = 1; i <= 2; i++)
            {
                await s.Planning.AddCaseAsync(s.Scrutineer, AuditId, $"RT-{i:000}");
            }

            await s.Planning.OpenAsync(s.Scrutineer, AuditId);
            _returns = (await s.Db.Get<IAuditRepository>().GetReturnsAsync(AuditId)).ToList();
            var steps = _random.Next(15, 30);
            for (var step = 0; step < steps; step++)
            {
                var roll = _random.Next(100);
                var what = _status == AuditStatuses.Open
                    ? roll switch
                    {
                        < 14 => AnswerAsync(),
                        < 34 => FollowUpAsync(),
                        < 42 => EvidenceAsync(),
                        < 62 => FlipAsync(),
                        < 76 => WorkbookAsync(),
                        < 84 => SubmitAsync(),
                        < 94 => ReturnForAmendmentAsync(),
                        < 97 => MoveAsync(AuditStatuses.Moderation),
                        _ => AnswerAsync(),
                    }
                    : roll switch
                    {
                        < 55 => ModerateAsync(),
                        < 85 => MoveAsync(AuditStatuses.Open),
                        _ => AnswerAsync(),
                    };
                await what;
            }

            if (_random.Next(2) == 0 && _status == AuditStatuses.Open)
            {
                await MoveAsync(AuditStatuses.Moderation);
                for (var i = _random.Next(1, 5); i > 0; i--)
                {
                    await ModerateAsync();
                }
            }
        }

        private AgencyReturn AnyReturn() => _returns[_random.Next(_returns.Count)];

        private Actor AuditorOf(AgencyReturn r) => r.AgencyId == s.PoliceId ? s.PoliceAuditor : s.EducationAuditor;

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        /// <summary>Runs a step; a refusal a person could meet (a plain-English message) is part of the history. True when it was done.</summary>
        private async Task<bool> Step(string what, Func<Task> step)
        {
            try
            {
                await step();
                Log.Add(what);
                return true;
            }
            catch (DomainValidationException ex)
            {
                Log.Add($"{what}: refused ({ex.Message})");
            }
            catch (WorkbookException ex)
            {
                Log.Add($"{what}: refused ({string.Join(" | ", ex.Problems.Take(3))})");
            }

            return false;
        }

        private async Task MoveAsync(string to)
        {
            if (await Step(to == AuditStatuses.Moderation ? "move to moderation" : "reopen for returns", () => to == AuditStatuses.Moderation
                    ? s.Planning.MoveToModerationAsync(s.Scrutineer, AuditId)
                    : s.Planning.ReopenAsync(s.Scrutineer, AuditId)))
            {
                _status = to;
            }
        }

        private object? ValueFor(QuestionDefinition q)
        {
            if (_random.Next(8) == 0)
            {
                return null;
            }

            var options = Template.OptionsOf(q).Select(o => o.Value).ToList();
            return q.Type switch
            {
                QuestionType.Scale or QuestionType.Choice => Pick(options),
                QuestionType.MultiChoice => options.OrderBy(_ => _random.Next()).Take(_random.Next(1, options.Count + 1)).ToList(),
                QuestionType.Number => Pick(["0", "4", "12.5", "100"]),
                QuestionType.Date => Pick(["2026-03-14", "2025-12-01"]),
                _ => Pick(Texts),
            };
        }

        private static string Show(object? value) => value switch
        {
            null => "(blank)",
            string text => text.Replace("\r", "\\r").Replace("\n", "\\n"),
            IEnumerable<string> many => string.Join("+", many),
            _ => value.ToString()!,
        };

        private async Task AnswerAsync()
        {
            var r = AnyReturn();
            var q = Pick(Questions);
            var value = ValueFor(q);
            await Step($"{r.CaseRef}/{r.AgencyId} answer {q.Key} = {Show(value)}", () => s.Returns.SaveAnswerAsync(AuditorOf(r), r.Id, q.Key, value));
        }

        private async Task EvidenceAsync()
        {
            var r = AnyReturn();
            var q = Pick(Questions);
            var note = _random.Next(6) == 0 ? null : Pick(Texts);
            await Step($"{r.CaseRef}/{r.AgencyId} evidence {q.Key} = {Show(note)}", () => s.Returns.SaveEvidenceAsync(AuditorOf(r), r.Id, q.Key, note));
        }

        /// <summary>As a person answers a follow-up question: first the answers that show it, then it and its note.</summary>
        private async Task FollowUpAsync()
        {
            var r = AnyReturn();
            var q = Pick(Questions.Where(x => x.ShowIf is not null).ToList());
            var chain = new List<QuestionDefinition>();
            for (var c = q; c.ShowIf is { } showIf; c = Questions.First(x => x.Key == showIf.Question))
            {
                chain.Insert(0, c);
            }

            foreach (var shown in chain)
            {
                var source = Questions.First(x => x.Key == shown.ShowIf!.Question);
                object value = source.Type == QuestionType.MultiChoice ? new List<string> { Pick(shown.ShowIf!.In) } : Pick(shown.ShowIf!.In);
                await Step($"{r.CaseRef}/{r.AgencyId} answer {source.Key} = {Show(value)}", () => s.Returns.SaveAnswerAsync(AuditorOf(r), r.Id, source.Key, value));
            }

            var answer = ValueFor(q) ?? ValueFor(q);
            await Step($"{r.CaseRef}/{r.AgencyId} answer {q.Key} = {Show(answer)}", () => s.Returns.SaveAnswerAsync(AuditorOf(r), r.Id, q.Key, answer));
            var note = Pick(Texts);
            await Step($"{r.CaseRef}/{r.AgencyId} evidence {q.Key} = {Show(note)}", () => s.Returns.SaveEvidenceAsync(AuditorOf(r), r.Id, q.Key, note));
        }

        /// <summary>A controlling answer changed, hiding or showing the questions it controls.</summary>
        private async Task FlipAsync()
        {
            var r = AnyReturn();
            // Mostly the controller of a follow-up already answered, as in the agency workbook that changed "Yes" to "No".
            var answered = (await s.Returns.GetAsync(s.Scrutineer, r.Id)).Values.Keys
                .Select(k => Questions.First(x => x.Key == k).ShowIf?.Question).OfType<string>().ToList();
            var key = answered.Count > 0 && _random.Next(4) > 0 ? Pick(answered) : Pick(["multi-agency", "plan-lead", "seen-alone", "partners"]);
            var q = Questions.First(x => x.Key == key);
            // More often than not to an answer that hides what it controls.
            var hides = Template.OptionsOf(q).Select(o => o.Value).Where(v => Questions.Where(x => x.ShowIf?.Question == key).All(x => !x.ShowIf!.In.Contains(v))).ToList();
            var value = _random.Next(5) < 3 && hides.Count > 0 ? (q.Type == QuestionType.MultiChoice ? new List<string> { Pick(hides) } : Pick(hides)) : ValueFor(q);
            await Step($"{r.CaseRef}/{r.AgencyId} flip {q.Key} = {Show(value)}", () => s.Returns.SaveAnswerAsync(AuditorOf(r), r.Id, q.Key, value));
        }

        /// <summary>Submits a return, half the time after answering whatever it still needs (as the return page lists it).</summary>
        private async Task SubmitAsync()
        {
            var r = AnyReturn();
            if (_random.Next(2) == 0)
            {
                var view = await s.Returns.GetAsync(AuditorOf(r), r.Id);
                foreach (var missing in Answers.Missing(view.Template, view.Agency.Kind, view.Values))
                {
                    var value = ValueFor(missing) ?? ValueFor(missing);
                    await Step($"{r.CaseRef}/{r.AgencyId} answer {missing.Key} = {Show(value)}", () => s.Returns.SaveAnswerAsync(AuditorOf(r), r.Id, missing.Key, value));
                }
            }

            if (await Step($"{r.CaseRef}/{r.AgencyId} submit", async () =>
                {
                    var result = await s.Returns.SubmitAsync(AuditorOf(r), r.Id);
                    if (!result.Submitted)
                    {
                        throw new DomainValidationException($"missing {string.Join(", ", result.Missing.Select(m => m.Key))}");
                    }
                }))
            {
                coverage.Submitted++;
            }
        }

        private async Task ReturnForAmendmentAsync()
        {
            var submitted = (await s.Db.Get<IAuditRepository>().GetReturnsAsync(AuditId)).Where(r => r.Status == ReturnStatuses.Submitted).ToList();
            if (submitted.Count == 0)
            {
                await SubmitAsync();
                return;
            }

            var r = Pick(submitted);
            if (await Step($"{r.CaseRef}/{r.AgencyId} return for amendment", () => s.Returns.ReturnForAmendmentAsync(s.Scrutineer, r.Id, "Please check the plan.")))
            {
                coverage.Amendments++;
            }
        }

        private async Task ModerateAsync()
        {
            var cases = await s.Db.Get<IAuditRepository>().GetCasesAsync(AuditId);
            var c = Pick(cases);
            var q = Pick(Template.Questions.Where(x => x.Type is QuestionType.Scale or QuestionType.Choice).ToList());
            var value = Pick(Template.OptionsOf(q).Select(o => o.Value).ToList());
            var rationale = _random.Next(3) == 0 ? "" : "Read the records again.";
            if (await Step($"{c.Ref} moderate {q.Key} = {value} ({(rationale.Length == 0 ? "no rationale" : "rationale")})",
                    () => s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, AuditId, c.Id, q.Key, value, rationale)))
            {
                coverage.Moderated++;
            }
        }

        /// <summary>Downloads an agency's workbook, fills some cells as a person would (labels, numbers, dates, blanks, notes with CR LF), uploads it.</summary>
        private async Task WorkbookAsync()
        {
            var agencyKey = _random.Next(2) == 0 ? "police" : "education";
            var actor = _random.Next(3) == 0 ? s.Scrutineer : agencyKey == "police" ? s.PoliceAuditor : s.EducationAuditor;
            var path = Path.Combine(s.Db.Folder, $"workbook-{seed}-{Log.Count}.xlsx");
            try
            {
                await using var file = File.Create(path);
                await s.Db.Get<WorkbookService>().DownloadAsync(actor, AuditId, agencyKey, file);
            }
            catch (DomainValidationException ex)
            {
                Log.Add($"download {agencyKey}: refused ({ex.Message})");
                return;
            }

            var edits = new List<string>();
            using (var book = new XLWorkbook(path))
            {
                foreach (var ws in book.Worksheets.Where(w => w.Name != WorkbookFormat.InstructionsSheet))
                {
                    var rows = ws.Column(2).CellsUsed().Where(c => c.Address.RowNumber > 6).ToList();
                    for (var n = _random.Next(2) == 0 ? 0 : _random.Next(1, 3); n > 0; n--)
                    {
                        var keyCell = Pick(rows);
                        var q = Questions.First(x => x.Key == keyCell.GetString());
                        var row = keyCell.Address.RowNumber;
                        if (_random.Next(4) == 0)
                        {
                            var note = _random.Next(4) == 0 ? "" : Pick(Texts);
                            ws.Cell(row, 9).SetValue(note);
                            edits.Add($"{ws.Name} {q.Key} evidence = {Show(note)}");
                            continue;
                        }

                        var value = ValueFor(q);
                        var cell = ws.Cell(row, 8);
                        var labels = Template.OptionsOf(q).ToDictionary(o => o.Value, o => o.Label);
                        switch (value)
                        {
                            case null:
                                cell.Clear(XLClearOptions.Contents);
                                break;
                            case List<string> many:
                                cell.SetValue(string.Join("; ", many.Select(v => labels[v])));
                                break;
                            case string v when labels.TryGetValue(v, out var label):
                                cell.SetValue(label);
                                break;
                            case string v when q.Type == QuestionType.Number:
                                cell.SetValue(double.Parse(v, CultureInfo.InvariantCulture));
                                break;
                            case string v when q.Type == QuestionType.Date && _random.Next(2) == 0:
                                cell.SetValue(DateTime.ParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture));
                                break;
                            case string v:
                                cell.SetValue(v);
                                break;
                        }

                        edits.Add($"{ws.Name} {q.Key} = {Show(value)}");
                    }

                    if (_random.Next(5) == 0)
                    {
                        ws.Cell("B3").SetValue("Yes");
                        edits.Add($"{ws.Name} submit");
                    }
                }

                book.Save();
            }

            var overwrite = _random.Next(2) == 0;
            var saved = 0;
            await Step($"upload {agencyKey} workbook by {actor.UserName}{(overwrite ? " --overwrite" : "")}: {string.Join("; ", edits)}", async () =>
            {
                await using var upload = File.OpenRead(path);
                saved = (await s.Db.Get<WorkbookService>().UploadAsync(actor, upload, Path.GetFileName(path), overwrite)).Saved;
            });
            if (saved > 0)
            {
                coverage.WorkbooksSaved++;
            }
        }
    }
}

public sealed class AuditPackageRoundTripTestsOnSqlite(ITestOutputHelper output) : AuditPackageRoundTripTests(output, DatabaseEngine.Sqlite);

public sealed class AuditPackageRoundTripTestsOnPostgres(ITestOutputHelper output) : AuditPackageRoundTripTests(output, DatabaseEngine.Postgres);
