using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Domain.Workbooks;
using AuditTool.Web.Hosting;
using System.Data.Common;
using Microsoft.Data.Sqlite;
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
