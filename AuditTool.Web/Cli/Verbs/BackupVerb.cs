using AuditTool.Data;
using Microsoft.Data.Sqlite;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class BackupVerb() : Verb("backup", """
              backup FILE                     make an online backup of the database into FILE
            """)
{
    public override Task<int> RunAsync(VerbContext c) => BackupAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> BackupAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "backup";
        if (!await args.ExpectNoMoreAsync(verb, 1, stderr))
        {
            return Usage;
        }

        var target = Path.GetFullPath(args.Positional[0]);
        if (database.FilePath is not { } file)
        {
            // PostgreSQL has its own tools for a consistent copy of a live database: say which to run.
            await stderr.WriteLineAsync($"{verb}: {database} is a PostgreSQL database; back it up with PostgreSQL's own tool while the app runs:");
            await stderr.WriteLineAsync($"  {PostgresBackupCommand(database, target)}");
            await stderr.WriteLineAsync("  (restore with pg_restore; see README, \"Several servers on PostgreSQL\").");
            return Usage;
        }

        if (!File.Exists(file))
        {
            await stderr.WriteLineAsync($"{verb}: there is no database at '{file}'.");
            return Usage;
        }

        if (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            await stderr.WriteLineAsync($"{verb}: the folder for '{target}' does not exist.");
            return Usage;
        }

        if (File.Exists(target))
        {
            await stderr.WriteLineAsync($"{verb}: '{target}' already exists; choose a new file name.");
            return Usage;
        }

        using var services = Services(database);
        var factory = services.GetRequiredService<ConnectionFactory>();
        using (var source = (SqliteConnection)await factory.OpenAsync())
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            // SQLite's online backup API: a consistent copy while others keep writing.
            source.BackupDatabase(destination);
        }

        await stdout.WriteLineAsync($"Backed up {file} to {target}.");
        return Ok;
    }

    /// <summary>The pg_dump command line for a database (custom format, no password on the command line).</summary>
    public static string PostgresBackupCommand(DatabaseTarget database, string target)
    {
        var uri = new Uri(database.Location);
        var user = uri.UserInfo.Split(':')[0];
        return $"pg_dump --format=custom --host={uri.Host} --port={uri.Port} --username={user} --file={target} {uri.AbsolutePath.Trim('/')}";
    }
}
