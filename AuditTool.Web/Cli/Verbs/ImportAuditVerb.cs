using AuditTool.Data;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ImportAuditVerb() : Verb("import-audit", """
              import-audit FILE               import an audittool.audit/v1 package as a new audit; prints its id
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ImportAuditAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> ImportAuditAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "import-audit";
        if (!await args.ExpectNoMoreAsync(verb, 1, stderr))
        {
            return Usage;
        }

        var file = args.Positional[0];
        if (await CheckInputFileAsync(verb, file, AuditPackageService.MaxPackageBytes, stderr) is { } refused)
        {
            return refused;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        try
        {
            await using var stream = File.OpenRead(file);
            var id = await services.GetRequiredService<AuditPackageService>().ImportAsync(Actor.System, stream, Path.GetFileName(file));
            await stdout.WriteLineAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Ok;
        }
        catch (AuditPackageException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {file} was not imported; nothing changed:");
            foreach (var problem in ex.Problems)
            {
                await stderr.WriteLineAsync($"  {file}: {problem}");
            }

            return Failed;
        }
    }
}
