using AuditTool.Data;
using System.Diagnostics;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Support;
using Dapper;
using Xunit.Abstractions;

namespace AuditTool.Tests.Data;

/// <summary>
/// Service-level load: 50 auditors at once, each saving 100 answers to their own return through ReturnService on one
/// SQLite file (WAL, BEGIN IMMEDIATE). Every answer must be stored exactly once, with no error. The time is printed
/// (dotnet test --logger "console;verbosity=detailed" --filter ConcurrentAuditorsLoadTest).
/// </summary>
public abstract class ConcurrentAuditorsLoadTest(ITestOutputHelper output, DatabaseEngine engine) : DatabaseTests(engine)
{
    private const int Auditors = 50;
    private const int AnswersEach = 100;

    [Fact]
    public async Task FiftyAuditorsSavingAHundredAnswersEach_StoreEveryAnswerExactlyOnce()
    {
        using var db = NewDatabase();
        var questions = Enumerable.Range(1, AnswersEach)
            .Select(i => new QuestionDefinition($"q{i:000}", $"Question {i}?", "", QuestionType.Scale, "yes-partly-no", [], true, 1, ["load"], null))
            .ToList();
        var template = new TemplateDefinition("load", 1, "Load", "", new Dictionary<string, IReadOnlyList<ScaleOption>>(),
            [new SectionDefinition("all", "All", "", [], questions)]);
        var versionId = await db.Get<ITemplateRepository>().CreateVersionAsync(template, TemplateStatus.Published, DateTimeOffset.UtcNow);
        var agencyId = await db.Get<IAgencyRepository>().CreateAsync(Agency.Create("police", "Cleveland Police", AgencyKinds.Police));
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        var planning = db.Get<AuditPlanningService>();
        var auditId = await planning.CreateAsync(scrutineer, new AuditPlan("Load", AuditKinds.MultiAgency, "", "", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(28), Thresholds.Default), versionId, [agencyId]);
        var auditors = new List<Actor>();
        for (var i = 0; i < Auditors; i++)
        {
            await planning.AddCaseAsync(scrutineer, auditId, $"C-{i:000}");
            // Stored directly: hashing 50 passwords would only slow the test, not exercise anything it checks.
            var user = User.Create($"auditor{i}", $"Auditor {i}", Role.Auditor, agencyId, "not-a-real-hash", DateTimeOffset.UtcNow);
            auditors.Add(new Actor((await db.Get<IUserRepository>().CreateAsync(user))!.Value, user.UserName, Role.Auditor, agencyId));
        }

        await planning.OpenAsync(scrutineer, auditId);
        var returns = (await db.Get<IAuditRepository>().GetReturnsAsync(auditId)).OrderBy(r => r.CaseRef).ToList();
        var service = db.Get<ReturnService>();
        string Expected(int auditor, int question) => ((auditor + question) % 3) switch { 0 => "yes", 1 => "partly", _ => "no" };

        var clock = Stopwatch.StartNew();
        var latencies = new List<double>[Auditors];
        await Task.WhenAll(Enumerable.Range(0, Auditors).Select(a => Task.Run(async () =>
        {
            latencies[a] = [];
            for (var q = 1; q <= AnswersEach; q++)
            {
                var one = Stopwatch.StartNew();
                await service.SaveAnswerAsync(auditors[a], returns[a].Id, $"q{q:000}", Expected(a, q));
                latencies[a].Add(one.Elapsed.TotalMilliseconds);
            }
        })));
        clock.Stop();

        using var connection = db.Factory.Open();
        var stored = connection.Query<(long ReturnId, string Key, string Value)>("SELECT a.return_id, q.key, a.value FROM answers a JOIN template_questions q ON q.id = a.question_id").ToList();
        Assert.Equal(Auditors * AnswersEach, stored.Count);
        Assert.Equal(stored.Count, stored.Select(x => (x.ReturnId, x.Key)).Distinct().Count());
        for (var a = 0; a < Auditors; a++)
        {
            var own = stored.Where(x => x.ReturnId == returns[a].Id).ToDictionary(x => x.Key, x => x.Value);
            Assert.Equal(AnswersEach, own.Count);
            for (var q = 1; q <= AnswersEach; q++)
            {
                Assert.Equal(Expected(a, q), own[$"q{q:000}"]);
            }
        }

        Assert.Equal(Auditors * AnswersEach, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE entity = 'answer'"));
        Assert.Equal(Auditors, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM agency_returns WHERE status = 'in-progress'"));
        var all = latencies.SelectMany(l => l).Order().ToList();
        output.WriteLine($"{Auditors} auditors x {AnswersEach} answers = {all.Count} saves in {clock.Elapsed.TotalSeconds:F2} s " +
                         $"({all.Count / clock.Elapsed.TotalSeconds:F0} saves/s); save latency median {all[all.Count / 2]:F1} ms, " +
                         $"p95 {all[(int)(all.Count * 0.95)]:F1} ms, max {all[^1]:F1} ms");
    }
}

public sealed class ConcurrentAuditorsLoadTestOnSqlite(ITestOutputHelper output) : ConcurrentAuditorsLoadTest(output, DatabaseEngine.Sqlite);

public sealed class ConcurrentAuditorsLoadTestOnPostgres(ITestOutputHelper output) : ConcurrentAuditorsLoadTest(output, DatabaseEngine.Postgres);
