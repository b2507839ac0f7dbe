using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class CreateUserVerb() : Verb("create-user", """
              create-user --username NAME --role ROLE [--agency KEY] [--display-name TEXT] [--email ADDRESS]
                          (--password TEXT | --password-stdin)
                                              create an account; ROLE is administrator, scrutineer, auditor,
                                              manager or executive; auditors and managers need --agency;
                                              reminders and notices go to --email
            """)
{
    public override Task<int> RunAsync(VerbContext c) => CreateUserAsync(c.Args, c.Database, c.Out, c.Err, c.In);

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
}
