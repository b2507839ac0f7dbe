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

    private static readonly string[] Verbs = ["migrate", "create-user", "import-template", "import-audit", "export-audit", "export-xlsx", "export-report",
        "export-workbook", "import-workbook", "backup", "send-reminders", "verify-audit-log",
        "recompute-figures", "copy-database", "apply-retention", "find-case", "hold",
        "release-hold", "help"];

    public const string UsageText = """
        Usage: AuditTool.Web <verb> [options]

        Without a verb the web site is served.

        Verbs (each takes --db PATH, a SQLite file, default data/audittool.db, or --db postgresql://user@host:port/database):
          migrate                         apply the database migrations
          create-user --username NAME --role ROLE [--agency KEY] [--display-name TEXT] [--email ADDRESS]
                      (--password TEXT | --password-stdin)
                                          create an account; ROLE is administrator, scrutineer, auditor,
                                          manager or executive; auditors and managers need --agency;
                                          reminders and notices go to --email
          import-template FILE            import an audittool.template/v1 file as a published version
          import-audit FILE               import an audittool.audit/v1 package as a new audit; prints its id
          export-audit ID FILE            write audit ID as an audittool.audit/v1 package to FILE
          export-xlsx ID FILE             write audit ID's Excel workbook (.xlsx) to FILE
          export-report ID FILE           write published audit ID's report as a Word document (.docx) to FILE
          export-workbook AUDIT_ID AGENCY_KEY FILE
                                          write the agency workbook (audittool.workbook/v1, .xlsx) of an open
                                          audit's returns for one agency to FILE, to fill in away from the app
          import-workbook FILE --user USERNAME [--overwrite]
                                          upload a filled agency workbook with that account's rights; prints
                                          what was saved, unchanged and in conflict (answers changed in the app
                                          since the download keep the app's value unless --overwrite is given);
                                          any problem is printed as SHEET!CELL: message and nothing is saved
          backup FILE                     make an online backup of the database into FILE
          send-reminders                  one pass of the reminders and notices now (for a scheduler outside
                                          the app): writes what is due to the outbox, sends it, prints what
                                          was sent; SMTP settings as the server reads them (AuditTool:Smtp:*)
          verify-audit-log                check the audit log's hash chain from its first line to its last and
                                          record the check; names the first line that was changed, deleted or
                                          inserted out of order; exits 1 when the chain is broken
          recompute-figures [AUDIT_ID]    compute a published audit's figures again from its answers (every
                                          published audit without AUDIT_ID), say whether they match the
                                          figures kept when it was published, and keep the new ones
          copy-database --to postgresql://user@host:port/database
                                          copy everything in this SQLite database (accounts, key ring,
                                          templates, audits, returns, answers, findings, actions, outbox and
                                          the audit log in its order) into an empty PostgreSQL database in one
                                          transaction, then check row counts and that every audit exports
                                          the same package from both; refuses a database that is not empty
          apply-retention [--as-of DATE] [--dry-run]
                                          one pass of the retention policy as of DATE (yyyy-MM-dd, default
                                          today): tells the scrutineers (outbox) of disposals due within the
                                          notice period, destroys case content that is due, one transaction per
                                          audit, and prints what it destroyed, told and skipped (held);
                                          --dry-run prints the same and changes nothing; defaults from
                                          AuditTool:Retention:EvidenceMonths, CaseDataMonths, NoticeDays
          find-case CASE_REF [--out FILE]
                                          list everything held about a case reference across audits (the case,
                                          cohort rows, returns, answers, evidence, moderation, quotes, actions
                                          and findings naming it, log entries, disclosures, holds); --out writes
                                          it as one JSON file (audittool.case-file/v1) for the data protection
                                          officer, and the export is recorded in the case's disclosure record
          hold AUDIT_ID [--case REF] --reason TEXT
                                          place a legal hold on an audit (or, with --case, on that case
                                          reference in every audit): nothing held is disposed of; prints its id
          release-hold HOLD_ID --reason TEXT
                                          release a legal hold; with no argument, list the holds in place
          help                            show this text
        """;

    /// <summary>A first argument that is not an option (<c>--urls</c>, ...) is a verb.</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    /// <summary>Runs a verb. <paramref name="settings"/>: the app's settings (tests give their own); by default as the server
    /// reads them: appsettings.json and appsettings.{environment}.json beside the executable, then environment variables.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, IConfiguration? settings = null)
    {
        var verb = args[0];
        if (!Verbs.Contains(verb))
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
            return verb switch
            {
                "migrate" => await MigrateAsync(parsed, database, stdout, stderr),
                "create-user" => await CreateUserAsync(parsed, database, stdout, stderr, stdin),
                "import-template" => await ImportTemplateAsync(parsed, database, stdout, stderr),
                "import-audit" => await ImportAuditAsync(parsed, database, stdout, stderr),
                "export-audit" => await ExportAuditAsync(parsed, database, stdout, stderr),
                "export-xlsx" => await ExportXlsxAsync(parsed, database, stdout, stderr),
                "export-report" => await ExportReportAsync(parsed, database, stdout, stderr),
                "export-workbook" => await ExportWorkbookAsync(parsed, database, stdout, stderr),
                "import-workbook" => await ImportWorkbookAsync(parsed, database, stdout, stderr),
                "backup" => await BackupAsync(parsed, database, stdout, stderr),
                "send-reminders" => await SendRemindersAsync(parsed, database, settings ?? AppSettings(), stdout, stderr),
                "verify-audit-log" => await VerifyAuditLogAsync(parsed, database, stdout, stderr),
                "recompute-figures" => await RecomputeFiguresAsync(parsed, database, stdout, stderr),
                "copy-database" => await CopyDatabaseAsync(parsed, database, stdout, stderr),
                "find-case" => await FindCaseAsync(parsed, database, stdout, stderr),
                "hold" => await HoldAsync(parsed, database, stdout, stderr),
                "release-hold" => await ReleaseHoldAsync(parsed, database, stdout, stderr),
                "apply-retention" => await ApplyRetentionAsync(parsed, database, settings ?? AppSettings(), stdout, stderr),
                _ => Usage,
            };
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

    private static async Task<int> CreateUserAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        const string verb = "create-user";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        var userName = args.Option("username");
        var roleKey = args.Option("role");
        var agencyKey = args.Option("agency");
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(userName))
        {
            problems.Add("--username is required.");
        }

        var role = Roles.Parse(roleKey);
        if (role is null)
        {
            problems.Add($"--role must be one of administrator, scrutineer, auditor, manager, executive{(roleKey is null ? "" : $" (not '{roleKey}')")}.");
        }
        else if (role.Value.BelongsToAgency() && string.IsNullOrWhiteSpace(agencyKey))
        {
            problems.Add($"an {roleKey} belongs to one agency: give --agency KEY.");
        }

        string? password = args.Option("password");
        if (args.Flag("password-stdin"))
        {
            password = (await stdin.ReadLineAsync())?.TrimEnd('\r', '\n');
        }

        var email = args.Option("email");
        if (email is not null && EmailAddress.Check(email) is { } emailProblem)
        {
            problems.Add($"--email: {emailProblem}");
        }
        else if (email is not null && string.IsNullOrWhiteSpace(email))
        {
            problems.Add("--email needs an address, e.g. --email name@example.org (leave the option out for none).");
        }

        if (password is null)
        {
            problems.Add("give the password with --password TEXT or --password-stdin.");
        }
        else if (PasswordRules.Check(password) is { } passwordProblem)
        {
            problems.Add(passwordProblem);
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync($"{verb}: {problem}");
            }

            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        long? agencyId = null;
        if (role!.Value.BelongsToAgency())
        {
            var agency = await services.GetRequiredService<IAgencyRepository>().GetByKeyAsync(agencyKey!);
            if (agency is null)
            {
                await stderr.WriteLineAsync($"{verb}: there is no agency with the key '{agencyKey}'.");
                return Usage;
            }

            agencyId = agency.Id;
        }

        try
        {
            var id = await services.GetRequiredService<UserAdminService>().CreateAsync(Actor.System,
                new NewUser(userName!, args.Option("display-name") ?? userName!, role.Value, agencyId, password!, email));
            await stdout.WriteLineAsync($"Created {role.Value.Label().ToLowerInvariant()} '{userName}' (id {id}).");
            return Ok;
        }
        catch (DomainValidationException ex)
        {
            foreach (var problem in ex.Problems)
            {
                await stderr.WriteLineAsync($"{verb}: {problem}");
            }

            return Failed;
        }
    }

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

    /// <summary>The import verbs' file: it exists and is within the size limit; otherwise the exit code to return.</summary>
    private static async Task<int?> CheckInputFileAsync(string verb, string file, long maxBytes, TextWriter stderr)
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

    private static Task<int> ExportAuditAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-audit", args, database, stdout, stderr,
            (services, auditId, file) => services.GetRequiredService<AuditPackageService>().ExportAsync(Actor.System, auditId, file));

    private static Task<int> ExportXlsxAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-xlsx", args, database, stdout, stderr,
            (services, auditId, file) => services.GetRequiredService<Domain.Exports.ExportService>().ExportXlsxAsync(Actor.System, auditId, file));

    private static Task<int> ExportReportAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-report", args, database, stdout, stderr,
            (services, auditId, file) => services.GetRequiredService<Domain.Findings.ReportDocumentService>().ExportAsync(Actor.System, auditId, file));

    /// <summary>export-workbook AUDIT_ID AGENCY_KEY FILE: one agency's open returns as an agency workbook.</summary>
    private static Task<int> ExportWorkbookAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-workbook", 3, args, database, stdout, stderr,
            async (services, auditId, file) =>
            {
                var agencyKey = args.Positional[1];
                var download = await services.GetRequiredService<WorkbookService>().DownloadAsync(Actor.System, auditId, agencyKey, file);
                return $"the agency workbook of '{agencyKey}' for audit {auditId} ({download.Cases} open {(download.Cases == 1 ? "return" : "returns")})";
            },
            (ex, auditId) => ex is AccessDeniedException && ex.Message.StartsWith("You do not have", StringComparison.Ordinal)
                ? $"there is no audit {auditId} with an agency '{args.Positional[1]}'."
                : ex.Message);

    /// <summary>The export verbs of ID FILE.</summary>
    private static Task<int> ExportToFileAsync(string verb, Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr,
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
    private static async Task<int> ExportToFileAsync(string verb, int positional, Arguments args, DatabaseTarget database, TextWriter stdout,
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

    private static async Task<int> VerifyAuditLogAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "verify-audit-log";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var check = await services.GetRequiredService<Domain.Logging.AuditLogService>().VerifyAsync(Actor.System);
        if (check.Intact)
        {
            await stdout.WriteLineAsync($"{verb}: the audit log is intact: {check.Message}");
            return Ok;
        }

        await stderr.WriteLineAsync($"{verb}: the audit log has been tampered with. {check.Message}");
        return Failed;
    }

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

    private static async Task<int> RecomputeFiguresAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "recompute-figures";
        if (args.Positional.Count > 1)
        {
            await stderr.WriteLineAsync($"{verb}: give at most one audit id.");
            return Usage;
        }

        long? only = null;
        if (args.Positional.Count == 1)
        {
            if (!long.TryParse(args.Positional[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                await stderr.WriteLineAsync($"{verb}: '{args.Positional[0]}' is not an audit id.");
                return Usage;
            }

            only = id;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var all = await services.GetRequiredService<IAuditRepository>().GetManyAsync();
        var audits = all.Where(a => a.Status == AuditStatuses.Published && (only is null || a.Id == only)).OrderBy(a => a.Id).ToList();
        if (only is not null && audits.Count == 0)
        {
            await stderr.WriteLineAsync(all.Any(a => a.Id == only)
                ? $"{verb}: audit {only} is not published; an audit's figures are kept when it is published."
                : $"{verb}: there is no audit {only}.");
            return Usage;
        }

        var figures = services.GetRequiredService<Domain.Findings.FiguresService>();
        var differed = 0;
        foreach (var audit in audits)
        {
            var (different, wereKept) = await figures.RecomputeAsync(Actor.System, audit.Id);
            differed += different ? 1 : 0;
            await stdout.WriteLineAsync($"{verb}: audit {audit.Id} \"{audit.Title}\": " + (!wereKept
                ? "no figures were kept; they are kept now."
                : different
                    ? "the figures computed now differ from those kept at publication; the new ones are kept now."
                    : "the figures computed now match those kept at publication."));
        }

        await stdout.WriteLineAsync($"{verb}: {audits.Count} published audit{(audits.Count == 1 ? "" : "s")}, {differed} with different figures.");
        return Ok;
    }

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

    private static async Task<int> HoldAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "hold";
        if (!await args.ExpectNoMoreAsync(verb, 1, stderr))
        {
            return Usage;
        }

        if (!long.TryParse(args.Positional[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var auditId))
        {
            await stderr.WriteLineAsync($"{verb}: '{args.Positional[0]}' is not an audit id.");
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var audit = await services.GetRequiredService<IAuditRepository>().GetByIdAsync(auditId);
        if (audit is null)
        {
            await stderr.WriteLineAsync($"{verb}: there is no audit {auditId}.");
            return Usage;
        }

        var caseRef = args.Option("case");
        if (caseRef is not null && !(await services.GetRequiredService<IAuditRepository>().GetCasesAsync(auditId))
                .Any(c => string.Equals(c.Ref, caseRef.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            await stderr.WriteLineAsync($"{verb}: audit {auditId} has no case '{caseRef}'.");
            return Usage;
        }

        try
        {
            var id = await services.GetRequiredService<Domain.DataProtection.RetentionService>()
                .PlaceHoldAsync(Actor.System, caseRef is null ? auditId : null, caseRef, args.Option("reason"));
            await stdout.WriteLineAsync(caseRef is null
                ? $"{verb}: hold {id} placed on audit {auditId} \"{audit.Title}\": nothing of it is disposed of until it is released."
                : $"{verb}: hold {id} placed on case {caseRef.Trim()} (in audit {auditId} and every other audit): nothing of it is disposed of until it is released.");
            return Ok;
        }
        catch (DomainValidationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: nothing was held: {ex.Message}");
            return Usage;
        }
    }

    private static async Task<int> ReleaseHoldAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "release-hold";
        if (args.Positional.Count > 1)
        {
            await stderr.WriteLineAsync($"{verb}: give one hold id.");
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var retention = services.GetRequiredService<Domain.DataProtection.RetentionService>();
        if (args.Positional.Count == 0)
        {
            var holds = await retention.GetHoldsAsync(Actor.System);
            await stdout.WriteLineAsync($"{verb}: {holds.Count} hold{(holds.Count == 1 ? "" : "s")} in place");
            foreach (var h in holds)
            {
                await stdout.WriteLineAsync($"  hold {h.Id}: " + (h.CaseRef is { } c ? $"case {c}" : $"audit {h.AuditId} \"{h.AuditTitle}\"") + $": {h.Reason}");
            }

            return Ok;
        }

        if (!long.TryParse(args.Positional[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var holdId))
        {
            await stderr.WriteLineAsync($"{verb}: '{args.Positional[0]}' is not a hold id.");
            return Usage;
        }

        try
        {
            await retention.ReleaseHoldAsync(Actor.System, holdId, args.Option("reason"));
            await stdout.WriteLineAsync($"{verb}: hold {holdId} released; what it held is disposed of when it falls due.");
            return Ok;
        }
        catch (DomainValidationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: nothing was released: {ex.Message}");
            return Usage;
        }
    }

    private static async Task<int> ApplyRetentionAsync(Arguments args, DatabaseTarget database, IConfiguration settings, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "apply-retention";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        DateOnly? asOf = null;
        if (args.Option("as-of") is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                await stderr.WriteLineAsync($"{verb}: --as-of '{text}' is not a date: write it as yyyy-MM-dd, for example 2027-03-31.");
                return Usage;
            }

            asOf = day;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        var options = settings.GetSection($"{AuditToolOptions.Section}:Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        if (options.EvidenceMonths is < 1 or > Domain.DataProtection.RetentionSettings.MaxMonths
            || options.CaseDataMonths is < 1 or > Domain.DataProtection.RetentionSettings.MaxMonths || options.NoticeDays is < 0 or > 365)
        {
            await stderr.WriteLineAsync($"{verb}: AuditTool:Retention needs EvidenceMonths and CaseDataMonths from 1 to {Domain.DataProtection.RetentionSettings.MaxMonths} and NoticeDays from 0 to 365.");
            return Usage;
        }

        using var services = AuditToolServices.For(database, settings, s => s.AddSingleton(
            new Domain.DataProtection.RetentionSettings(options.EvidenceMonths, options.CaseDataMonths, options.NoticeDays)));
        services.GetRequiredService<MigrationRunner>().Migrate();
        Domain.DataProtection.RetentionPass pass;
        try
        {
            pass = await services.GetRequiredService<Domain.DataProtection.RetentionService>().ApplyAsync(Actor.System, asOf, args.Flag("dry-run"));
        }
        catch (DomainValidationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}");
            return Failed;
        }

        await stdout.WriteLineAsync($"{verb}: as of {pass.AsOf:yyyy-MM-dd}{(pass.DryRun ? " (dry run: nothing changed)" : "")}");
        foreach (var d in pass.Disposed)
        {
            await stdout.WriteLineAsync($"  {(pass.DryRun ? "would destroy" : "destroyed")} audit {d.AuditId} “{d.AuditTitle}” {d.Stage.ToString().ToLowerInvariant()} (due {d.DueOn:yyyy-MM-dd}): {d.Counts.Describe()}");
        }

        foreach (var n in pass.Noticed)
        {
            await stdout.WriteLineAsync($"  {(pass.DryRun ? "would tell" : "told")} the scrutineers: audit {n.AuditId} “{n.AuditTitle}” {n.Stage.ToString().ToLowerInvariant()} due {n.DueOn:yyyy-MM-dd}: {n.Counts.Describe()}");
        }

        foreach (var k in pass.Skipped)
        {
            await stdout.WriteLineAsync($"  skipped audit {k.AuditId} “{k.AuditTitle}” {k.Stage.ToString().ToLowerInvariant()} (due {k.DueOn:yyyy-MM-dd}): {k.What}");
        }

        if (pass.Disposed.Count + pass.Noticed.Count + pass.Skipped.Count == 0)
        {
            await stdout.WriteLineAsync("  nothing is due.");
        }

        return Ok;
    }

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

    private static async Task<int> SendRemindersAsync(Arguments args, DatabaseTarget database, IConfiguration settings, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "send-reminders";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        ServiceProvider services;
        try
        {
            services = AuditToolServices.For(database, settings);
        }
        catch (ArgumentException ex)
        {
            foreach (var problem in ex.Message.Split(Environment.NewLine))
            {
                await stderr.WriteLineAsync($"{verb}: {problem}");
            }

            return Usage;
        }

        using (services)
        {
            services.GetRequiredService<MigrationRunner>().Migrate();
            var result = await services.GetRequiredService<NoticeService>().RunPassAsync(Actor.System);
            if (result.Skipped == NoticePassResult.NotConfigured)
            {
                await stderr.WriteLineAsync($"{verb}: {result.Skipped}");
                return Failed;
            }

            if (result.Skipped is not null)
            {
                await stdout.WriteLineAsync(result.Skipped);
                return Ok;
            }

            await stdout.WriteLineAsync($"{result.Queued} new message(s) in the outbox; {result.Sent.Count} sent, {result.Failed.Count} not sent.");
            foreach (var sent in result.Sent)
            {
                await stdout.WriteLineAsync($"sent #{sent.Id} {sent.Kind} to {sent.To}: {sent.Subject}");
            }

            foreach (var failed in result.Failed)
            {
                await stdout.WriteLineAsync($"not sent #{failed.Id} {failed.Kind} to {failed.To}: {failed.Error}{(failed.WillRetry ? " (tried again later)" : "")}");
            }

            if (result.InDoubt > 0)
            {
                await stdout.WriteLineAsync($"{result.InDoubt} message(s) left half-sent by a stopped run are in doubt and wait for an administrator (outbox page).");
            }

            return result.Failed.Count > 0 ? Failed : Ok;
        }
    }

    /// <summary>The settings as the server reads them: appsettings files beside the executable, then environment variables.</summary>
    private static IConfiguration AppSettings()
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
    private static async Task<bool> NoDatabaseAsync(string verb, DatabaseTarget database, TextWriter stderr)
    {
        if (database.FilePath is { } path && !File.Exists(path))
        {
            await stderr.WriteLineAsync($"{verb}: there is no database at '{path}'.");
            return true;
        }

        return false;
    }

    private static ServiceProvider Services(DatabaseTarget database) => AuditToolServices.For(database);

    private sealed class Arguments
    {
        private readonly Dictionary<string, string?> _options = [];

        public List<string> Positional { get; } = [];

        public static Arguments Parse(string[] args)
        {
            var parsed = new Arguments();
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                if (!arg.StartsWith("--", StringComparison.Ordinal))
                {
                    parsed.Positional.Add(arg);
                    continue;
                }

                var name = arg[2..];
                if (name is "password-stdin" or "overwrite" or "dry-run")
                {
                    parsed._options[name] = null;
                    continue;
                }

                if (name is not ("db" or "username" or "role" or "agency" or "display-name" or "password" or "email" or "user" or "to" or "as-of" or "out" or "case" or "reason"))
                {
                    throw new ArgumentException($"unknown option '{arg}'.");
                }

                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"'{arg}' needs a value.");
                }

                parsed._options[name] = args[++i];
            }

            return parsed;
        }

        public string? Option(string name) => _options.TryGetValue(name, out var value) ? value : null;

        public bool Flag(string name) => _options.ContainsKey(name);

        public async Task<bool> ExpectNoMoreAsync(string verb, int positional, TextWriter stderr)
        {
            if (Positional.Count == positional)
            {
                return true;
            }

            await stderr.WriteLineAsync(Positional.Count < positional
                ? $"{verb}: missing argument (see usage below)."
                : $"{verb}: unexpected argument '{Positional[positional]}'.");
            await stderr.WriteLineAsync(UsageText);
            return false;
        }
    }
}
