using System.Globalization;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Templates;

namespace AuditTool.Documents.Excel;

/// <summary>
/// The audit workbook of PRODUCT.md: Summary, Questions, Agencies, Themes, Responses, Moderation, Reliability, Actions. The figures
/// come from the same aggregation the app shows; the responses stream from the database row by row.
/// </summary>
public sealed class XlsxWorkbookWriter : IWorkbookWriter
{
    public async Task WriteAsync(WorkbookContent content, IResponseSource responses, Stream output, IProgress<double>? progress,
        CancellationToken cancellationToken = default)
    {
        var template = content.Template;
        var questions = template.Questions.ToDictionary(q => q.Key);
        var sections = template.Sections.SelectMany(s => s.Questions.Select(q => (q.Key, s.Key))).ToDictionary(x => x.Item1, x => x.Item2);
        string AgencyName(long id) => content.Agencies.TryGetValue(id, out var a) ? a.Name : $"Agency {id}";

        using var workbook = new StreamingWorkbook(output);

        // The Responses sheet first: it streams while the figures are still being computed on another thread.
        using (var sheet = workbook.AddSheet("Responses", 4,
            [("Case reference", 16), ("Agency", 34), ("Status", 14), ("Question key", 26), ("Question", 60), ("Answer", 28), ("Score", 8), ("Evidence", 60)]))
        {
            var written = 0;
            var total = Math.Max(1, content.Responses);
            var names = new Dictionary<long, string>();
            var statuses = ReturnStatuses.All.ToDictionary(x => x, ReturnStatuses.Label);
            await foreach (var r in responses.ReadAsync(content.Audit.Id, content.AgencyOnly, cancellationToken))
            {
                questions.TryGetValue(r.QuestionKey, out var question);
                if (!names.TryGetValue(r.AgencyId, out var agencyName))
                {
                    agencyName = AgencyName(r.AgencyId);
                    names[r.AgencyId] = agencyName;
                }

                sheet.BeginRow();
                sheet.Text(r.CaseRef);
                sheet.Text(agencyName);
                sheet.Text(statuses.GetValueOrDefault(r.Status) ?? r.Status);
                sheet.Text(r.QuestionKey);
                sheet.Text(question?.Text ?? r.QuestionKey);
                WriteAnswer(sheet, template, question, r.Value);
                sheet.Text(r.Evidence);
                if (++written % 20_000 == 0)
                {
                    progress?.Report(0.9 * written / total);
                }
            }
        }

        var view = await content.Figures;
        progress?.Report(0.92);
        WriteSummary(workbook, content, view, AgencyName);
        WriteQuestions(workbook, view, sections);
        WriteAgencies(workbook, view, view.Figures.Agencies.Select(a => a.AgencyId).ToList(), AgencyName);
        WriteThemes(workbook, view);
        WriteModeration(workbook, content, questions, AgencyName);
        WriteReliability(workbook, view);
        WriteActions(workbook, content, AgencyName);
        progress?.Report(1);
    }

    private static void WriteSummary(StreamingWorkbook workbook, WorkbookContent content, FiguresView view, Func<long, string> agencyName)
    {
        var audit = view.Audit;
        var f = view.Figures;
        using var sheet = workbook.AddSheet("Summary", 0, [("Section", 22), ("Item", 48), ("Value", 70)]);
        void Row(string section, string item, Action<SheetWriter> value)
        {
            sheet.BeginRow();
            sheet.BoldText(section);
            sheet.Text(item);
            value(sheet);
        }

        Row("Audit", "Title", s => s.Text(audit.Title));
        Row("Audit", "Kind", s => s.Text(AuditKinds.Label(audit.Kind)));
        Row("Audit", "Status", s => s.Text(AuditStatuses.Label(audit.Status)));
        Row("Audit", "Template", s => s.Text($"{view.Template.Title} (version {view.Template.Version})"));
        Row("Audit", "Purpose", s => s.Text(audit.Purpose));
        Row("Audit", "Sample criteria", s => s.Text(audit.SampleCriteriaText));
        Row("Audit", "Filter used for the draw", s => s.Text(audit.DescribeDraw()));
        Row("Audit", "Sample seed", s => s.Integer(audit.SampleSeed));
        Row("Audit", "Cohort size", s => s.Integer(audit.CohortSize));
        Row("Audit", "Deadline", s => s.Date(audit.Deadline));
        Row("Audit", "Baseline", s => s.Text(view.BaselineTitle));
        Row("Thresholds", "Strength at or above", s => s.Percent(audit.Thresholds.Strength));
        Row("Thresholds", "Development area at or below", s => s.Percent(audit.Thresholds.Development));
        Row("Thresholds", "Minimum answers", s => s.Integer(audit.Thresholds.MinimumCount));
        Row("Thresholds", "Reliability flagged below", s => s.Number(audit.Thresholds.Reliability, Styles.Decimal));
        Row("Export", "Exported (UTC)", s => s.Text(content.ExportedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        Row("Export", "Exported by", s => s.Text(content.ExportedBy));
        Row("Export", "Responses sheet", s => s.Text(content.AgencyOnly is { } a ? $"{agencyName(a)} only" : "All agencies"));
        Row("Counts", "Cases", s => s.Integer(f.Cases.Count));
        Row("Counts", "Agency returns", s => s.Integer(f.Returns));
        Row("Counts", "Submitted returns", s => s.Integer(f.SubmittedReturns));
        foreach (var a in f.Agencies)
        {
            Row("Returns by agency", agencyName(a.AgencyId), s => s.Text($"{a.Submitted} of {a.Returns} submitted"));
        }

        Row("Headline", "Positive rate, all rated questions", s => s.Percent(f.OverallRate));
        Row("Headline", "Agreement with moderation", s => s.Percent(f.Agreement.Overall.Agreement));
        Row("Headline", "Grades compared with moderation", s => s.Integer(f.Agreement.Overall.Pairs));
        Row("Headline", "Mean difference, agency minus moderated", s => s.Number(f.Agreement.Overall.MeanSignedDifference, Styles.Decimal));
        Row("Impact", "Cases escalated (a safeguarding concern raised)", s => s.Integer(content.Concerns.CasesEscalated));
        Row("Impact", "Escalated cases closed with an action recorded", s => s.Integer(content.Concerns.CasesClosedWithAction));
        foreach (var finding in content.Findings)
        {
            Row(finding.Kind == FindingKinds.Strength ? "Area of strength" : "Area for development", finding.Title, s => s.Text(finding.Narrative));
        }

        foreach (var action in content.Actions)
        {
            Row("Action", action.Description, s => s.Text(
                $"{(action.OwnerAgencyId is { } o ? agencyName(o) : "no owner")}; due {action.DueDate?.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("en-GB")) ?? "–"}; {ActionStatuses.Label(action.Status)}"));
        }
    }

    private static void WriteQuestions(StreamingWorkbook workbook, FiguresView view, IReadOnlyDictionary<string, string> sections)
    {
        var maxOptions = view.Figures.Questions.Select(q => q.Options.Count).DefaultIfEmpty(0).Max();
        var baseline = view.Baseline?.Questions.ToDictionary(c => c.Key) ?? [];
        var columns = new List<(string, double)> { ("Section", 22), ("Key", 26), ("Question", 60), ("Themes", 26), ("Type", 12), ("Counted answers", 10), ("Not applicable", 10) };
        for (var i = 1; i <= maxOptions; i++)
        {
            columns.Add(($"Option {i}", 20));
            columns.Add(($"Option {i} count", 9));
            columns.Add(($"Option {i} share", 9));
        }

        columns.AddRange([("Positive rate", 10), ("Classification", 18), ("Baseline rate", 10), ("Change (points)", 10)]);
        using var sheet = workbook.AddSheet("Questions", 1, columns);
        foreach (var q in view.Figures.Questions)
        {
            sheet.BeginRow();
            sheet.Text(sections.GetValueOrDefault(q.Key));
            sheet.Text(q.Key);
            sheet.Text(q.Text);
            sheet.Text(string.Join(", ", q.Themes));
            sheet.Text(q.Type.ToKey());
            sheet.Integer(q.Counted);
            sheet.Integer(q.NotApplicable);
            for (var i = 0; i < maxOptions; i++)
            {
                if (i < q.Options.Count)
                {
                    sheet.Text(q.Options[i].Label);
                    sheet.Integer(q.Options[i].Count);
                    sheet.Percent(q.Options[i].Share);
                }
                else
                {
                    sheet.Empty();
                    sheet.Empty();
                    sheet.Empty();
                }
            }

            sheet.Percent(q.PositiveRate);
            sheet.Text(ClassificationLabel(q.Classification));
            var change = baseline.GetValueOrDefault(q.Key);
            sheet.Percent(change?.BaselineRate);
            sheet.Number(change?.ChangePoints, Styles.Decimal);
        }
    }

    private static void WriteAgencies(StreamingWorkbook workbook, FiguresView view, IReadOnlyList<long> agencyIds, Func<long, string> agencyName)
    {
        var columns = new List<(string, double)> { ("Key", 26), ("Question", 60) };
        columns.AddRange(agencyIds.Select(id => (agencyName(id), 18d)));
        using var sheet = workbook.AddSheet("Agencies", 2, columns);
        var byAgency = view.Figures.Agencies.ToDictionary(a => a.AgencyId, a => a.Questions.ToDictionary(q => q.Key));
        foreach (var q in view.Figures.Questions.Where(q => q.Classification != Classification.NoRate))
        {
            sheet.BeginRow();
            sheet.Text(q.Key);
            sheet.Text(q.Text);
            foreach (var id in agencyIds)
            {
                sheet.Percent(byAgency[id].GetValueOrDefault(q.Key)?.PositiveRate);
            }
        }

        sheet.BeginRow();
        sheet.BoldText("all");
        sheet.BoldText("All rated questions");
        foreach (var a in view.Figures.Agencies)
        {
            sheet.Percent(a.OverallRate);
        }
    }

    private static void WriteThemes(StreamingWorkbook workbook, FiguresView view)
    {
        var baseline = view.Baseline?.Themes.ToDictionary(c => c.Key) ?? [];
        using var sheet = workbook.AddSheet("Themes", 3,
            [("Theme", 24), ("Questions", 50), ("Weighted counted", 12), ("Weighted positive", 12), ("Rate", 10), ("Baseline rate", 10), ("Change (points)", 10)]);
        foreach (var t in view.Figures.Themes)
        {
            sheet.BeginRow();
            sheet.Text(t.Theme);
            sheet.Text(string.Join(", ", t.QuestionKeys));
            sheet.Number(t.WeightedCounted, Styles.Decimal);
            sheet.Number(t.WeightedPositive, Styles.Decimal);
            sheet.Percent(t.Rate);
            var change = baseline.GetValueOrDefault(t.Theme);
            sheet.Percent(change?.BaselineRate);
            sheet.Number(change?.ChangePoints, Styles.Decimal);
        }
    }

    private static void WriteModeration(StreamingWorkbook workbook, WorkbookContent content, IReadOnlyDictionary<string, QuestionDefinition> questions,
        Func<long, string> agencyName)
    {
        var template = content.Template;
        var agencyIds = content.Grades.Select(g => g.AgencyId).Distinct().Order().ToList();
        var columns = new List<(string, double)> { ("Case reference", 16), ("Question key", 22), ("Question", 50) };
        columns.AddRange(agencyIds.Select(id => (agencyName(id), 20d)));
        columns.AddRange([("Moderated grade", 20), ("Rationale", 60)]);
        var grades = content.Grades.ToLookup(g => (g.CaseRef, g.QuestionKey));
        using var sheet = workbook.AddSheet("Moderation", 5, columns);
        foreach (var m in content.Moderation)
        {
            questions.TryGetValue(m.QuestionKey, out var question);
            sheet.BeginRow();
            sheet.Text(m.CaseRef);
            sheet.Text(m.QuestionKey);
            sheet.Text(question?.Text ?? m.QuestionKey);
            var own = grades[(m.CaseRef, m.QuestionKey)].ToDictionary(g => g.AgencyId, g => g.Value);
            foreach (var id in agencyIds)
            {
                sheet.Text(own.TryGetValue(id, out var v) ? Label(template, question, v) : null);
            }

            sheet.Text(Label(template, question, m.Value));
            sheet.Text(m.Rationale);
        }
    }

    /// <summary>
    /// One row per reliability figure (PRODUCT.md, "Excel export"): per graded question, alpha, kappa for all agencies,
    /// then kappa for each agency (by its key). A figure that is not defined (too few units, no variation) leaves its
    /// value and interval empty; the units are always given. Figures are numbers with three decimals, not percentages.
    /// </summary>
    private static void WriteReliability(StreamingWorkbook workbook, FiguresView view)
    {
        using var sheet = workbook.AddSheet("Reliability", 6,
            [("Question key", 26), ("Measure", 40), ("Agency", 20), ("Units", 9), ("Value", 10), ("95% CI low", 11), ("95% CI high", 11)]);
        foreach (var row in ReliabilityRow.Of(view.Figures.Reliability ?? []))
        {
            sheet.BeginRow();
            sheet.Text(row.QuestionKey);
            sheet.Text(row.Measure);
            sheet.Text(row.AgencyId is { } id ? view.Agencies.TryGetValue(id, out var agency) ? agency.Key : id.ToString(CultureInfo.InvariantCulture) : ReliabilityMeasures.AllAgencies);
            sheet.Integer(row.Figure.Units);
            sheet.Number(row.Figure.Value, Styles.Reliability);
            sheet.Number(row.Figure.Low, Styles.Reliability);
            sheet.Number(row.Figure.High, Styles.Reliability);
        }
    }

    private static void WriteActions(StreamingWorkbook workbook, WorkbookContent content, Func<long, string> agencyName)
    {
        var today = DateOnly.FromDateTime(content.ExportedUtc.UtcDateTime);
        var findings = content.Findings.ToDictionary(f => f.Id, f => f.Title);
        using var sheet = workbook.AddSheet("Actions", 7,
            [("Action", 60), ("Owner agency", 34), ("Due", 12), ("Status", 12), ("Overdue", 10), ("Finding", 50)]);
        foreach (var a in content.Actions)
        {
            sheet.BeginRow();
            sheet.Text(a.Description);
            sheet.Text(a.OwnerAgencyId is { } o ? agencyName(o) : null);
            sheet.Date(a.DueDate);
            sheet.Text(ActionStatuses.Label(a.Status));
            sheet.Text(a.IsOverdue(today) ? "Overdue" : "No");
            sheet.Text(a.FindingId is { } f ? findings.GetValueOrDefault(f) : null);
        }
    }

    private static void WriteAnswer(SheetWriter sheet, TemplateDefinition template, QuestionDefinition? question, string? value)
    {
        if (value is null || question is null)
        {
            sheet.Text(value);
            sheet.Empty();
            return;
        }

        switch (question.Type)
        {
            case QuestionType.Scale or QuestionType.Choice:
                var option = template.OptionsOf(question).FirstOrDefault(o => o.Value == value);
                sheet.Text(option?.Label ?? value);
                sheet.Number(option?.Score);
                break;
            case QuestionType.MultiChoice:
                var options = template.OptionsOf(question);
                var labels = (Answers.Decode(QuestionType.MultiChoice, value) as IEnumerable<string> ?? [])
                    .Select(v => options.FirstOrDefault(o => o.Value == v)?.Label ?? v);
                sheet.Text(string.Join("; ", labels));
                sheet.Empty();
                break;
            case QuestionType.Number when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                sheet.Number(number);
                sheet.Empty();
                break;
            default:
                sheet.Text(value);
                sheet.Empty();
                break;
        }
    }

    private static string? Label(TemplateDefinition template, QuestionDefinition? question, string? value) =>
        value is null || question is null ? value : template.OptionsOf(question).FirstOrDefault(o => o.Value == value)?.Label ?? value;

    private static string ClassificationLabel(Classification c) => c switch
    {
        Classification.Strength => "Strength",
        Classification.DevelopmentArea => "Development area",
        Classification.Mixed => "Mixed",
        Classification.TooFewAnswers => "Too few answers",
        Classification.Descriptive => "Descriptive",
        _ => "No rate",
    };
}
