using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The app hosted in the test process (WebApplicationFactory) on real Kestrel, on a free loopback port, with a fresh
/// SQLite file: the same Program, services and pages as <c>dotnet run</c> serves, without starting a process.
/// Development by default (demo data and accounts); settings use configuration keys ("AuditTool:IdleTimeoutMinutes").
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private AppHost(WebApplicationFactory<Program> factory, string baseUrl, string folder)
    {
        _factory = factory;
        BaseUrl = baseUrl;
        Folder = folder;
    }

    public string BaseUrl { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "app.db");

    public IServiceProvider Services => _factory.Services;

    public static Task<AppHost> StartAsync(IDictionary<string, string>? settings = null, string environment = "Development")
    {
        var folder = Path.Combine(Path.GetTempPath(), "audittool-browser", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("AuditTool:Database", Path.Combine(folder, "app.db"));
            builder.UseSetting("AuditTool:RevalidationSeconds", "5");
            // Every browser test signs in from 127.0.0.1: the sign-in limits are tested on hosts of their own.
            builder.UseSetting("AuditTool:SignIn:PerAddressPerMinute", "100000");
            builder.UseSetting("AuditTool:SignIn:GlobalPerMinute", "100000");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                builder.UseSetting(key, value);
            }
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        // Starting runs the first-run work (migrations, templates, demo data) before the port answers.
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return Task.FromResult(new AppHost(factory, address.TrimEnd('/'), folder));
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
