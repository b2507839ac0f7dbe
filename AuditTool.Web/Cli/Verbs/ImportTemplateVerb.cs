using AuditTool.Data;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ImportTemplateVerb() : Verb("import-template", """
              import-template FILE            import an audittool.template/v1 file as a published version
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ImportTemplateAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> ImportTemplateAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "import-template";
        if (!await args.ExpectNoMoreAsync(verb, 1, stderr))
        {
            return Usage;
        }

        var file = args.Positional[0];
        if (await CheckInputFileAsync(verb, file, TemplateJson.MaxFileBytes, stderr) is { } refused)
        {
            return refused;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        try
        {
            var result = await services.GetRequiredService<TemplateLibraryService>().ImportAsync(Actor.System, await File.ReadAllTextAsync(file));
            await stdout.WriteLineAsync(result.Created
                ? $"Imported template '{result.Key}' version {result.Version} (version id {result.VersionId})."
                : $"Template '{result.Key}' version {result.Version} is already present (version id {result.VersionId}); nothing changed.");
            return Ok;
        }
        catch (TemplateFormatException ex)
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
