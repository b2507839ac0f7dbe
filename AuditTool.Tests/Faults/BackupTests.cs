using AuditTool.Domain.Audits;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AuditTool.Tests.Faults;

public class BackupTests
{
    [Fact]
    public async Task OnlineBackup_WhileAuditorsWrite_GivesAConsistentDatabase_AndAQuietOneTheSameRows()
    {
        using var s = await AuditScenario.CreateAsync(cases: 20);
        var returns = (await s.Db.Get<IAuditRepository>().GetReturnsAsync(s.AuditId)).Where(r => r.AgencyId == s.PoliceId).ToList();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var ret = returns[(w * 5 + i) % returns.Count];
                await s.Returns.SaveAnswerAsync(s.PoliceAuditor, ret.Id, "seen-alone", i % 2 == 0 ? "yes" : "no");
                await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, ret.Id, "notes", $"note {w}-{i}");
                i++;
            }
        })).ToList();
        await Task.Delay(300);

        var live = Path.Combine(s.Db.Folder, "live-backup.db");
        var (code, error) = await BackupAsync(s.Db.Path, live);
        stop.Cancel();
        await Task.WhenAll(writers);
        var quiet = Path.Combine(s.Db.Folder, "quiet-backup.db");
        var (quietCode, quietError) = await BackupAsync(s.Db.Path, quiet);

        Assert.True(code == 0, error);
        Assert.True(quietCode == 0, quietError);
        using var source = Open(s.Db.Path);
        using var liveCopy = Open(live);
        using var quietCopy = Open(quiet);
        Assert.Equal("ok", liveCopy.ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.Equal("ok", quietCopy.ExecuteScalar<string>("PRAGMA integrity_check"));
        var liveAnswers = Rows(liveCopy);
        Assert.NotEmpty(liveAnswers);
        Assert.Subset(Rows(source).Select(r => r.Key).ToHashSet(), liveAnswers.Select(r => r.Key).ToHashSet());
        Assert.Equal(Rows(source), Rows(quietCopy));
        Assert.Equal(source.Query<string>("SELECT Version || Description FROM VersionInfo ORDER BY Version"),
            quietCopy.Query<string>("SELECT Version || Description FROM VersionInfo ORDER BY Version"));
        Assert.Equal(source.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log"), quietCopy.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log"));
    }

    private static async Task<(int Code, string Error)> BackupAsync(string db, string target)
    {
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["backup", target, "--db", db], new StringWriter(), stderr, TextReader.Null);
        return (code, stderr.ToString());
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        return connection;
    }

    private static List<KeyValuePair<string, string>> Rows(SqliteConnection connection) => connection
        .Query<(long ReturnId, long QuestionId, string? Value, string? Evidence)>("SELECT return_id, question_id, value, evidence FROM answers ORDER BY 1, 2")
        .Select(r => new KeyValuePair<string, string>($"{r.ReturnId}/{r.QuestionId}", $"{r.Value}|{r.Evidence}"))
        .ToList();
}
