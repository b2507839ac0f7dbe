using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class CopyDatabaseVerb() : Verb("copy-database", """
              copy-database --to postgresql://user@host:port/database
                                              copy everything in this SQLite database (accounts, key ring,
                                              templates, audits, returns, answers, findings, actions, outbox and
                                              the audit log in its order) into an empty PostgreSQL database in one
                                              transaction, then check row counts and that every audit exports
                                              the same package from both; refuses a database that is not empty
            """)
{
    public override Task<int> RunAsync(VerbContext c) => CopyDatabaseAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> CopyDatabaseAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "copy-database";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        if (args.Option("to") is not { Length: > 0 } to || !DatabaseTarget.IsPostgresUri(to))
        {
            await stderr.WriteLineAsync($"{verb}: give the PostgreSQL database to copy into: --to postgresql://user@host:port/database.");
            return Usage;
        }

        DatabaseTarget target;
        try
        {
            target = DatabaseTarget.Parse(to, Environment.CurrentDirectory);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}");
            return Usage;
        }

        if (database.FilePath is not { } file || !File.Exists(file))
        {
            await stderr.WriteLineAsync(database.FilePath is null
                ? $"{verb}: the copy is made from a SQLite database; give it with --db FILE."
                : $"{verb}: there is no database at '{database.FilePath}'.");
            return Usage;
        }

        using var from = Services(database);
        using var into = Services(target);
        var sourceFactory = from.GetRequiredService<ConnectionFactory>();
        var targetFactory = into.GetRequiredService<ConnectionFactory>();
        try
        {
            await DatabaseCopier.RequireEmptyAsync(targetFactory);
        }
        catch (DatabaseCopyException ex)
        {
            await stderr.WriteLineAsync($"{verb}: nothing was copied: {ex.Message}");
            return Failed;
        }

        from.GetRequiredService<MigrationRunner>().Migrate();
        into.GetRequiredService<MigrationRunner>().Migrate();
        await stdout.WriteLineAsync($"{verb}: copying {database} into {target}...");
        DatabaseCopy copy;
        try
        {
            copy = await DatabaseCopier.CopyAsync(sourceFactory, targetFactory, stdout);
        }
        catch (DatabaseCopyException ex)
        {
            await stderr.WriteLineAsync($"{verb}: nothing was copied: {ex.Message}");
            return Failed;
        }

        var answers = copy.RowsOf("answers");
        await stdout.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{verb}: {copy.Tables.Sum(t => t.Rows):N0} rows in {copy.Tables.Count} tables copied in {copy.Elapsed.TotalSeconds:N1} s " +
            $"({answers:N0} answers, {(copy.Elapsed.TotalSeconds > 0 ? answers / copy.Elapsed.TotalSeconds : 0):N0} answers/s)."));
        foreach (var table in copy.Skipped)
        {
            await stdout.WriteLineAsync($"{verb}: {table} was not copied: this release's schema has no such table.");
        }

        var different = await DatabaseCopier.CompareCountsAsync(sourceFactory, targetFactory, copy.Tables.Select(t => t.Name));
        var packages = await DifferentPackagesAsync(from, into);
        if (different.Count > 0 || packages.Count > 0)
        {
            foreach (var table in different)
            {
                await stderr.WriteLineAsync($"{verb}: the copy differs: {table}.");
            }

            foreach (var auditId in packages)
            {
                await stderr.WriteLineAsync($"{verb}: the copy differs: audit {auditId} does not export the same package from both.");
            }

            await stderr.WriteLineAsync($"{verb}: do not use the copy; drop that database and make it again.");
            return Failed;
        }

        var audits = await from.GetRequiredService<IAuditRepository>().GetManyAsync();
        await stdout.WriteLineAsync($"{verb}: checked: every table has the same number of rows on both, and all {audits.Count} audits export the same package from both.");
        await stdout.WriteLineAsync($"{verb}: point the app at it (AuditTool:Database = {target}) and start it there; keep the SQLite file as a backup.");
        return Ok;
    }

    /// <summary>The audits whose package exported from the copy is not byte for byte the one exported from the source.</summary>
    private static async Task<IReadOnlyList<long>> DifferentPackagesAsync(ServiceProvider from, ServiceProvider into)
    {
        var different = new List<long>();
        foreach (var audit in await from.GetRequiredService<IAuditRepository>().GetManyAsync())
        {
            using var here = new MemoryStream();
            using var there = new MemoryStream();
            await from.GetRequiredService<Domain.Packages.AuditPackageService>().ExportAsync(Actor.System, audit.Id, here);
            await into.GetRequiredService<Domain.Packages.AuditPackageService>().ExportAsync(Actor.System, audit.Id, there);
            if (!here.ToArray().AsSpan().SequenceEqual(there.ToArray()))
            {
                different.Add(audit.Id);
            }
        }

        return different;
    }
}
