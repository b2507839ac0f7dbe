using System.Diagnostics;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace AuditTool.Tests.Faults;

/// <summary>
/// A process saving answers is killed with SIGKILL at random moments, 20 times, on one database file. After each kill
/// the database passes PRAGMA integrity_check and holds every answer whose save had been acknowledged.
/// </summary>
public class CrashTests(ITestOutputHelper output)
{
    private const int Runs = 20;

    [Fact]
    public async Task KilledWriters_NeverLoseAnAcknowledgedAnswer_OrCorruptTheDatabase()
    {
        using var db = new TestDatabase();
        var questions = Enumerable.Range(1, 100)
            .Select(i => new QuestionDefinition($"q{i:000}", $"Question {i}?", "", QuestionType.Scale, "yes-partly-no", [], false, 1, [], null))
            .ToList();
        var template = new TemplateDefinition("crash", 1, "Crash", "", new Dictionary<string, IReadOnlyList<ScaleOption>>(),
            [new SectionDefinition("all", "All", "", [], questions)]);
        var versionId = await db.Get<ITemplateRepository>().CreateVersionAsync(template, TemplateStatus.Published, DateTimeOffset.UtcNow);
        var agencyId = await db.Get<IAgencyRepository>().CreateAsync(Agency.Create("police", "Cleveland Police", AgencyKinds.Police));
        var scrutineer = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        var auditor = await db.CreateUserAsync("police.auditor", Role.Auditor, agencyId);
        var planning = db.Get<AuditPlanningService>();
        var random = new Random(20261122);
        var survived = 0;
        var acknowledged = 0;
        for (var run = 1; run <= Runs; run++)
        {
            var auditId = await planning.CreateAsync(scrutineer, new AuditPlan($"Crash run {run}", AuditKinds.MultiAgency, null, null, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(28), Thresholds.Default), versionId, [agencyId]);
            for (var c = 1; c <= 20; c++)
            {
                await planning.AddCaseAsync(scrutineer, auditId, $"R{run}-{c:00}");
            }

            await planning.OpenAsync(scrutineer, auditId);
            SqliteConnection.ClearAllPools();

            var lines = await RunAndKillAsync(db.Path, auditId, auditor.UserId, TimeSpan.FromMilliseconds(300 + random.Next(1500)));

            using var connection = new SqliteConnection($"Data Source={db.Path};Pooling=false");
            connection.Open();
            Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
            var stored = connection.Query<(long ReturnId, string Key, string Value)>(
                "SELECT a.return_id, q.key, a.value FROM answers a JOIN template_questions q ON q.id = a.question_id JOIN agency_returns r ON r.id = a.return_id WHERE r.audit_id = @auditId",
                new { auditId }).ToDictionary(x => (x.ReturnId, x.Key), x => x.Value);
            foreach (var line in lines)
            {
                var parts = line.Split(',');
                var key = (long.Parse(parts[0]), parts[1]);
                Assert.True(stored.TryGetValue(key, out var value) && value == parts[2], $"Run {run}: acknowledged answer {line} is missing.");
            }

            Assert.True(stored.Count >= lines.Count);
            acknowledged += lines.Count;
            survived++;
        }

        output.WriteLine($"{survived} of {Runs} kills survived: integrity ok, {acknowledged} acknowledged answers all present.");
        Assert.Equal(Runs, survived);
        Assert.True(acknowledged > Runs, "The writer acknowledged too few answers for the test to mean anything.");
    }

    private static async Task<List<string>> RunAndKillAsync(string databasePath, long auditId, long userId, TimeSpan after)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "AuditTool.Tests.dll"), "crash-writer", databasePath, auditId.ToString(), userId.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        // Wait for the first acknowledged save, then let it run a random while before the kill.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            lock (lines)
            {
                if (lines.Count > 0)
                {
                    break;
                }
            }

            await Task.Delay(20);
        }

        await Task.Delay(after);
        if (!process.HasExited)
        {
            process.Kill(); // SIGKILL on Linux: no cleanup, no flush, mid-transaction.
        }

        await process.WaitForExitAsync();
        await reading;
        lock (lines)
        {
            // A line is only whole if it ended with a newline before the kill; ReadLine returns the final fragment too.
            return lines.Where(l => l.Split(',').Length == 3 && l.Split(',')[2] is "yes" or "partly" or "no").ToList();
        }
    }
}
