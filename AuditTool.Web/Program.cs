using AuditTool.Web.Cli;
using AuditTool.Web.Hosting;

// Admin verbs (migrate, create-user, ...) run and exit; anything else serves the site.
if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(args, Console.Out, Console.Error, Console.In);
}

var app = AuditToolHost.Build(args);
await AuditToolHost.PrepareAsync(app);
await app.RunAsync();
return 0;
