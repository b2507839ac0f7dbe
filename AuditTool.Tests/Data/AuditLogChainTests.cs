using AuditTool.Data;
using AuditTool.Domain.Logging;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using Dapper;

namespace AuditTool.Tests.Data;

/// <summary>
/// The audit log's hash chain and verify-audit-log, on both engines: intact after real work; a line changed, deleted or
/// slipped in out of order directly in the database (the append-only guard lifted, as someone with the database's own
/// rights could) is named; lines taken off the end after a check are noticed.
/// </summary>
public abstract class AuditLogChainTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static async Task<(int Code, string Out, string Err)> VerifyAsync(TestDatabase db)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["verify-audit-log", "--db", db.Location], stdout, stderr, TextReader.Null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<AuditScenario> WorkedAsync()
    {
        var s = await ScenarioAsync(cases: 2);
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "no");
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "seen-alone", "Seen with the school nurse");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);
        return s;
    }

    private static void WithTheGuardLifted(TestDatabase db, string sql)
    {
        using var connection = db.Factory.Open();
        if (db.Engine == DatabaseEngine.Sqlite)
        {
            connection.Execute($"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}");
        }
        else
        {
            connection.Execute($"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; {sql}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
        }
    }

    private static long LineId(TestDatabase db, string action)
    {
        using var connection = db.Factory.Open();
        return connection.ExecuteScalar<long>("SELECT MIN(id) FROM audit_log WHERE action = @action", new { action });
    }

    [Fact]
    public async Task AnUntouchedLog_IsIntact_AndTheCheckIsRecorded()
    {
        using var s = await WorkedAsync();

        var (code, output, errors) = await VerifyAsync(s.Db);

        Assert.True(code == 0, errors);
        Assert.Contains("intact", output);
        var last = await s.Db.Get<IAuditLog>().GetLastCheckAsync();
        Assert.NotNull(last);
        Assert.True(last.Intact);
        Assert.True(last.Entries > 10);
        Assert.Equal("system", last.CheckedBy);
    }

    [Fact]
    public async Task ALineChangedInTheDatabase_IsNamed()
    {
        using var s = await WorkedAsync();
        var submit = LineId(s.Db, "submit");

        WithTheGuardLifted(s.Db, $"UPDATE audit_log SET new_values = 'in-progress' WHERE id = {submit}");
        var (code, _, errors) = await VerifyAsync(s.Db);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains($"Entry {submit} ", errors);
        Assert.Contains("does not match its hash: it was changed", errors);
    }

    [Fact]
    public async Task ALineDeletedFromTheDatabase_IsNoticedAtTheLineAfterIt()
    {
        using var s = await WorkedAsync();
        var evidence = LineId(s.Db, "update") + 1;
        using (var connection = s.Db.Factory.Open())
        {
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE id = @evidence", new { evidence }));
        }

        WithTheGuardLifted(s.Db, $"DELETE FROM audit_log WHERE id = {evidence}");
        var (code, _, errors) = await VerifyAsync(s.Db);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains($"Entry {evidence + 1} does not follow entry {evidence - 1}", errors);
    }

    [Fact]
    public async Task ALineInsertedOutOfOrder_IsNamed()
    {
        using var s = await WorkedAsync();
        using (var connection = s.Db.Factory.Open())
        {
            // A copy of an early line, hash and all, added at the end: it does not follow the line before it.
            connection.Execute("""
                INSERT INTO audit_log (at_utc, user_id, user_name, action, entity, entity_id, old_values, new_values, audit_id,
                                       case_ref, agency_key, case_content, prev_hash, hash)
                SELECT at_utc, user_id, user_name, action, entity, entity_id, old_values, new_values, audit_id, case_ref,
                       agency_key, case_content, prev_hash, hash
                FROM audit_log WHERE id = (SELECT MIN(id) + 2 FROM audit_log)
                """);
        }

        var inserted = (long)s.Db.Factory.Open().ExecuteScalar<long>("SELECT MAX(id) FROM audit_log");
        var (code, _, errors) = await VerifyAsync(s.Db);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains($"Entry {inserted} does not follow", errors);
    }

    [Fact]
    public async Task LinesTakenOffTheEndAfterACheck_AreNoticedByTheNextCheck()
    {
        using var s = await WorkedAsync();
        Assert.Equal(0, (await VerifyAsync(s.Db)).Code);
        var last = (await s.Db.Get<IAuditLog>().GetLastCheckAsync())!.LastId!.Value;

        WithTheGuardLifted(s.Db, $"DELETE FROM audit_log WHERE id >= {last - 1}");
        var (code, _, errors) = await VerifyAsync(s.Db);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains($"Entry {last}, the last one an earlier check saw, is gone", errors);
    }

    [Fact]
    public async Task LinesWrittenAtOnceFromManyConnections_StayOneChain()
    {
        using var db = NewDatabase();
        var log = db.Get<IAuditLog>();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            log.WriteAsync(new AuditLogEntry(DateTimeOffset.UtcNow, null, $"writer-{i}", "create", "agency", i.ToString(), null, "x")))));

        var (code, output, errors) = await VerifyAsync(db);

        Assert.True(code == 0, errors);
        Assert.Contains("All 40 entries", output);
    }
}

public sealed class AuditLogChainTestsOnSqlite() : AuditLogChainTests(DatabaseEngine.Sqlite);

public sealed class AuditLogChainTestsOnPostgres() : AuditLogChainTests(DatabaseEngine.Postgres)
{
    /// <summary>The README's recipe: the servers run as a role that may add to the log but neither change it nor lift its guard.</summary>
    [Fact]
    public async Task TheReadmesAppRole_AddsLines_ButCannotChangeDeleteOrUnguardTheLog()
    {
        using var db = NewDatabase();
        var uri = new Uri(db.Location);
        var database = uri.AbsolutePath.Trim('/');
        var role = "app_" + Guid.NewGuid().ToString("N")[..8];
        using (var owner = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={uri.Port};Username=postgres;Database={database};Pooling=false"))
        {
            owner.Open();
            owner.Execute($"""
                CREATE ROLE {role} LOGIN PASSWORD 'app-role-password';
                GRANT CONNECT ON DATABASE "{database}" TO {role};
                GRANT USAGE ON SCHEMA public TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
                GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role};
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role};
                """);
        }

        var asApp = $"postgresql://{role}:app-role-password@127.0.0.1:{uri.Port}/{database}";
        using (var services = AuditTool.Web.Hosting.AuditToolServices.For(asApp))
        {
            var log = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAuditLog>(services);
            await log.WriteAsync(new AuditLogEntry(DateTimeOffset.UtcNow, null, "app-role", "create", "agency", "1", null, "x"));
            using var factory = new ConnectionFactory(DatabaseTarget.Parse(asApp, db.Folder));
            using var connection = factory.Open();
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log"));
            var update = Assert.ThrowsAny<Npgsql.PostgresException>(() => connection.Execute("UPDATE audit_log SET action = 'tampered'"));
            var unguard = Assert.ThrowsAny<Npgsql.PostgresException>(() => connection.Execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"));
            Assert.Equal("42501", update.SqlState);
            Assert.Equal("42501", unguard.SqlState);
        }

        Npgsql.NpgsqlConnection.ClearAllPools();
        PostgresServer.Instance.Admin($"DROP OWNED BY {role} CASCADE");
    }
}
