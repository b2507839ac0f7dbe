using AuditTool.Web.Cli;
using AuditTool.Web.Hosting;

// Admin verbs (migrate, create-user, ...) run and exit; anything else serves the site.
if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(args, Console.Out, Console.Error, Console.In);
}

WebApplication app;
try
{
    app = AuditToolHost.Build(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"AuditTool.Web: {ex.Message}");
    Console.Error.WriteLine(ServerArguments.UsageText);
    Console.Error.WriteLine(CommandLine.UsageText);
    return CommandLine.Usage;
}

await app.RunAsync();
return 0;

/// <summary>Lets tests host the app in-process (WebApplicationFactory).</summary>
public partial class Program;
