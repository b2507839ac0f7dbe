using AuditTool.Data;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using System.Data.Common;

namespace AuditTool.Web.Cli;

/// <summary>
/// The admin verbs of the app's executable. Every verb takes <c>--db PATH</c> (default <c>data/audittool.db</c>).
/// Bad input prints a clear message and exits non-zero without changing the database.
/// </summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int Failed = 1;

    /// <summary>Every verb, once: its name, its lines of the usage text, and what it does (a class of its own each).</summary>
    private static readonly Verb[] Commands =
    [
        new Cli.Verbs.MigrateVerb(), new Cli.Verbs.CreateUserVerb(), new Cli.Verbs.ImportTemplateVerb(), new Cli.Verbs.ImportAuditVerb(),
        new Cli.Verbs.ExportAuditVerb(), new Cli.Verbs.ExportXlsxVerb(), new Cli.Verbs.ExportReportVerb(), new Cli.Verbs.ExportWorkbookVerb(),
        new Cli.Verbs.ImportWorkbookVerb(), new Cli.Verbs.BackupVerb(), new Cli.Verbs.SendRemindersVerb(), new Cli.Verbs.VerifyAuditLogVerb(),
        new Cli.Verbs.RecomputeFiguresVerb(), new Cli.Verbs.CopyDatabaseVerb(), new Cli.Verbs.ApplyRetentionVerb(), new Cli.Verbs.FindCaseVerb(),
        new Cli.Verbs.HoldVerb(), new Cli.Verbs.ReleaseHoldVerb(),
    ];

    public static readonly string UsageText = $"""
        Usage: AuditTool.Web <verb> [options]

        Without a verb the web site is served.

        Verbs (each takes --db PATH, a SQLite file, default data/audittool.db, or --db postgresql://user@host:port/database):
        {string.Join(Environment.NewLine, Commands.Select(v => v.UsageLines))}
          help                            show this text

        """;

    /// <summary>A first argument that is not an option (<c>--urls</c>, ...) is a verb.</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    /// <summary>Runs a verb. <paramref name="settings"/>: the app's settings (tests give their own); by default as the server
    /// reads them: appsettings.json and appsettings.{environment}.json beside the executable, then environment variables.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, IConfiguration? settings = null)
    {
        var verb = args[0];
        var command = Commands.FirstOrDefault(v => v.Name == verb);
        if (command is null && verb != "help")
        {
            await stderr.WriteLineAsync($"Unknown verb '{verb}'.");
            await stderr.WriteLineAsync(UsageText);
            return Usage;
        }

        if (verb == "help")
        {
            await stdout.WriteLineAsync(UsageText);
            await stdout.WriteLineAsync(ServerArguments.UsageText);
            return Ok;
        }

        Arguments parsed;
        try
        {
            parsed = Arguments.Parse(args.Skip(1).ToArray());
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}");
            await stderr.WriteLineAsync(UsageText);
            return Usage;
        }

        var dbPath = parsed.Option("db");
        if (dbPath is not null && dbPath.Length == 0)
        {
            await stderr.WriteLineAsync($"{verb}: --db needs a path or a postgresql:// address.");
            return Usage;
        }

        DatabaseTarget database;
        try
        {
            database = DatabaseTarget.Parse(dbPath ?? DatabaseTarget.DefaultPath, Environment.CurrentDirectory);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}");
            return Usage;
        }

        if (database.FilePath is { } file && Path.GetDirectoryName(file) is { } folder && !Directory.Exists(folder))
        {
            if (dbPath is not null)
            {
                await stderr.WriteLineAsync($"{verb}: the folder '{folder}' for the database does not exist. Create it first, or give another --db path.");
                return Usage;
            }

            Directory.CreateDirectory(folder);
        }

        try
        {
            return await command!.RunAsync(new VerbContext(parsed, database, stdout, stderr, stdin, () => settings ?? AppSettings()));
        }
        catch (MigrationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}");
            return Failed;
        }
        catch (DbException ex)
        {
            await stderr.WriteLineAsync($"{verb}: the database '{database}' could not be used: {ex.Message}");
            return Failed;
        }
    }

    /// <summary>The import verbs' file: it exists and is within the size limit; otherwise the exit code to return.</summary>
    internal static async Task<int?> CheckInputFileAsync(string verb, string file, long maxBytes, TextWriter stderr)
    {
        if (!File.Exists(file))
        {
            await stderr.WriteLineAsync($"{verb}: the file '{file}' does not exist.");
            return Usage;
        }

        if (new FileInfo(file).Length > maxBytes)
        {
            await stderr.WriteLineAsync($"{verb}: {file}: the file is larger than {maxBytes / 1024 / 1024} MB.");
            return Failed;
        }

        return null;
    }

    /// <summary>The export verbs of ID FILE.</summary>
    internal static Task<int> ExportToFileAsync(string verb, Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr,
        Func<ServiceProvider, long, Stream, Task> export) =>
        ExportToFileAsync(verb, 2, args, database, stdout, stderr,
            async (services, auditId, file) =>
            {
                await export(services, auditId, file);
                return $"audit {auditId}";
            },
            (ex, _) => ex is AccessDeniedException ? $"there is no audit with that id{(verb == "export-report" ? " that has been published" : "")}." : ex.Message);

    /// <summary>
    /// The export verbs: an audit id first, the file last (<paramref name="positional"/> arguments in all), written to
    /// FILE.partial first so a failed export never leaves half a file. <paramref name="export"/> says what it wrote.
    /// </summary>
    internal static async Task<int> ExportToFileAsync(string verb, int positional, Arguments args, DatabaseTarget database, TextWriter stdout,
        TextWriter stderr, Func<ServiceProvider, long, Stream, Task<string>> export, Func<Exception, long, string> refusal)
    {
        if (!await args.ExpectNoMoreAsync(verb, positional, stderr))
        {
            return Usage;
        }

        if (!long.TryParse(args.Positional[0], out var auditId))
        {
            await stderr.WriteLineAsync($"{verb}: '{args.Positional[0]}' is not an audit id (a whole number).");
            return Usage;
        }

        var target = Path.GetFullPath(args.Positional[positional - 1]);
        if (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            await stderr.WriteLineAsync($"{verb}: the folder for '{target}' does not exist.");
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        // A database made by an earlier release is brought up to date first, as the server does on start.
        services.GetRequiredService<MigrationRunner>().Migrate();
        var temp = target + ".partial";
        try
        {
            string what;
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                what = await export(services, auditId, file);
            }

            File.Move(temp, target, overwrite: true);
            await stdout.WriteLineAsync($"Exported {what} to {target}.");
            return Ok;
        }
        catch (Exception ex) when (ex is DomainValidationException or AccessDeniedException)
        {
            await stderr.WriteLineAsync($"{verb}: {refusal(ex, auditId)}");
            return Failed;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The settings as the server reads them: appsettings files beside the executable, then environment variables.</summary>
    internal static IConfiguration AppSettings()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
    }

    /// <summary>A SQLite file that is not there: said, so that a verb that only reads never makes an empty database.</summary>
    internal static async Task<bool> NoDatabaseAsync(string verb, DatabaseTarget database, TextWriter stderr)
    {
        if (database.FilePath is { } path && !File.Exists(path))
        {
            await stderr.WriteLineAsync($"{verb}: there is no database at '{path}'.");
            return true;
        }

        return false;
    }

    internal static ServiceProvider Services(DatabaseTarget database) => AuditToolServices.For(database);
}
