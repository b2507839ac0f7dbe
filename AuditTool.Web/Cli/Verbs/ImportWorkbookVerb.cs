using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Domain.Workbooks;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ImportWorkbookVerb() : Verb("import-workbook", """
              import-workbook FILE --user USERNAME [--overwrite]
                                              upload a filled agency workbook with that account's rights; prints
                                              what was saved, unchanged and in conflict (answers changed in the app
                                              since the download keep the app's value unless --overwrite is given);
                                              any problem is printed as SHEET!CELL: message and nothing is saved
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ImportWorkbookAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> ImportWorkbookAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "import-workbook";
        if (!await args.ExpectNoMoreAsync(verb, 1, stderr))
        {
            return Usage;
        }

        var userName = args.Option("user");
        if (string.IsNullOrWhiteSpace(userName))
        {
            await stderr.WriteLineAsync($"{verb}: --user USERNAME is required: the upload acts with that account's rights.");
            return Usage;
        }

        var file = args.Positional[0];
        if (await CheckInputFileAsync(verb, file, WorkbookFormat.MaxFileBytes, stderr) is { } refused)
        {
            return refused;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var user = await services.GetRequiredService<IUserRepository>().GetByUserNameAsync(userName);
        if (user is null || user.IsDisabled)
        {
            await stderr.WriteLineAsync($"{verb}: there is no active account '{userName}'.");
            return Usage;
        }

        try
        {
            await using var stream = File.OpenRead(file);
            var result = await services.GetRequiredService<WorkbookService>().UploadAsync(
                new Actor(user.Id, user.UserName, user.Role, user.AgencyId), stream, Path.GetFileName(file), args.Flag("overwrite"));
            foreach (var line in WorkbookSummary.Lines(result, file))
            {
                await stdout.WriteLineAsync(line);
            }

            return Ok;
        }
        catch (WorkbookException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {file} was not imported; nothing was saved:");
            foreach (var problem in ex.Problems)
            {
                await stderr.WriteLineAsync($"  {problem}");
            }

            return Failed;
        }
        catch (Exception ex) when (ex is DomainValidationException or AccessDeniedException)
        {
            await stderr.WriteLineAsync($"{verb}: {file} was not imported; nothing was saved: {ex.Message}");
            return Failed;
        }
    }
}
