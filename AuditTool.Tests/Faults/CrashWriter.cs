using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Faults;

/// <summary>
/// The child process of the crash test (<c>dotnet AuditTool.Tests.dll crash-writer DB AUDIT USER</c>): saves answers
/// through ReturnService, one (return, question) each, and prints a line for every save the service acknowledged. The
/// parent kills it with SIGKILL at a random moment and checks that every printed answer is in the database.
/// </summary>
public static class CrashWriter
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (db, auditId, userId) = (args[0], long.Parse(args[1]), long.Parse(args[2]));
        await using var provider = AuditToolServices.For(db);
        var returns = provider.GetRequiredService<ReturnService>();
        var repo = provider.GetRequiredService<IAuditRepository>();
        var user = await provider.GetRequiredService<AuditTool.Domain.Accounts.IUserRepository>().GetByIdAsync(userId);
        var actor = new Actor(userId, user!.UserName, Role.Auditor, user.AgencyId);
        var targets = (await repo.GetReturnsAsync(auditId)).Select(r => r.Id).ToList();
        var output = Console.Out;
        string[] values = ["yes", "partly", "no"];
        for (var q = 1; q <= 100; q++)
        {
            foreach (var returnId in targets)
            {
                var value = values[(int)((returnId + q) % 3)];
                await returns.SaveAnswerAsync(actor, returnId, $"q{q:000}", value);
                output.WriteLine($"{returnId},q{q:000},{value}");
                output.Flush();
            }
        }

        return 0;
    }
}

/// <summary>The test assembly's own entry point: the test runner does not use it; the crash test runs it as a child.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args) =>
        args.Length > 0 && args[0] == "crash-writer" ? await CrashWriter.RunAsync(args[1..]) : 0;
}
