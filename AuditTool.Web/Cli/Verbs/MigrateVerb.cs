using AuditTool.Data;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class MigrateVerb() : Verb("migrate", """
              migrate                         apply the database migrations
            """)
{
    public override Task<int> RunAsync(VerbContext c) => MigrateAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> MigrateAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        if (!await args.ExpectNoMoreAsync("migrate", 0, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        var applied = services.GetRequiredService<MigrationRunner>().Migrate();
        await stdout.WriteLineAsync(applied.Count == 0
            ? $"The database {database} is up to date."
            : $"Applied {applied.Count} migration(s) to {database}: {string.Join(", ", applied)}");
        return Ok;
    }
}
