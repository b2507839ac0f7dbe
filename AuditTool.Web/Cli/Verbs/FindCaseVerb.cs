using AuditTool.Data;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class FindCaseVerb() : Verb("find-case", """
              find-case CASE_REF [--out FILE]
                                              list everything held about a case reference across audits (the case,
                                              cohort rows, returns, answers, evidence, moderation, quotes, actions
                                              and findings naming it, log entries, disclosures, holds); --out writes
                                              it as one JSON file (audittool.case-file/v1) for the data protection
                                              officer, and the export is recorded in the case's disclosure record
            """)
{
    public override Task<int> RunAsync(VerbContext c) => FindCaseAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> FindCaseAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "find-case";
        if (!await args.ExpectNoMoreAsync(verb, 1, stderr))
        {
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        var output = args.Option("out");
        if (output is not null && (output.Length == 0 || Path.GetDirectoryName(Path.GetFullPath(output)) is { } folder && !Directory.Exists(folder)))
        {
            await stderr.WriteLineAsync($"{verb}: --out needs a file in a folder that exists.");
            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var cases = services.GetRequiredService<Domain.DataProtection.CaseFileService>();
        Domain.DataProtection.CaseFile file;
        try
        {
            file = output is null ? await cases.FindAsync(Actor.System, args.Positional[0]) : await cases.ExportAsync(Actor.System, args.Positional[0]);
        }
        catch (DomainValidationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}");
            return Usage;
        }

        await stdout.WriteLineAsync($"{verb}: {file.Items.Count} item(s) held about {file.CaseRef}");
        foreach (var item in file.Items)
        {
            await stdout.WriteLineAsync($"  [{item.Kind}] {(item.AuditId is { } a ? $"audit {a} “{item.AuditTitle}”, " : "")}{(item.Agency is null ? "" : item.Agency + ", ")}{item.Where}{(item.Text is null ? "" : ": " + item.Text)}");
        }

        if (output is not null)
        {
            await File.WriteAllBytesAsync(output, file.ToJson());
            await stdout.WriteLineAsync($"{verb}: written to {output} (recorded in the case's disclosure record)");
        }

        return Ok;
    }
}
