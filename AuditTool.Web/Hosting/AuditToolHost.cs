using AuditTool.Data;
using AuditTool.Documents;
using AuditTool.Web.Auth;
using AuditTool.Web.Components;
using AuditTool.Web.Notices;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Radzen;

namespace AuditTool.Web.Hosting;

public static class AuditToolHost
{
    /// <summary>Builds the server from its command line (<see cref="ServerArguments"/>); unknown options throw.</summary>
    public static WebApplication Build(string[] args)
    {
        var server = ServerArguments.Parse(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. server.HostArgs],
            ApplicationName = typeof(AuditToolHost).Assembly.GetName().Name,
        });
        if (server.Database is not null)
        {
            // --db wins over appsettings and environment variables, as it does for the verbs.
            builder.Configuration.AddInMemoryCollection([new($"{AuditToolOptions.Section}:{nameof(AuditToolOptions.Database)}", server.Database)]);
        }

        var options = builder.Configuration.GetSection(AuditToolOptions.Section).Get<AuditToolOptions>() ?? new AuditToolOptions();
        builder.Services.AddSingleton(options);
        var database = DatabaseTarget.Parse(options.Database, builder.Environment.ContentRootPath, options.DatabasePassword);
        if (database.FilePath is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }

        builder.Services.AddAuditToolData(database);
        builder.Services.AddAuditToolDocuments();
        builder.Services.AddAuditToolDomain();
        // Reminders and notices: the SMTP settings (a bad one stops the server with a message), and the pass every 15 minutes.
        builder.Services.AddAuditToolNotices(builder.Configuration);
        builder.Services.AddHostedService<FirstRunOnStart>();
        builder.Services.AddHostedService<NewsRelay<ReturnChangeHub>>();
        builder.Services.AddHostedService<NewsRelay<AccountChangeHub>>();
        builder.Services.AddHostedService<NoticeWorker>();
        builder.Services.AddHostedService<DailyChecks>();

        // A pasted note of tens of thousands of characters must reach the server whole (to be called too long, not lost
        // with the connection): SignalR's 32 KB default would drop the page's connection instead.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 1024 * 1024);
        builder.Services.AddRadzenComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider>(sp => new SessionAuthStateProvider(
            sp.GetRequiredService<AuditTool.Domain.Accounts.SessionService>(), sp.GetRequiredService<AccountChangeHub>(),
            TimeSpan.FromSeconds(options.RevalidationSeconds), sp.GetRequiredService<ILogger<SessionAuthStateProvider>>()));
        builder.Services.AddScoped<CurrentUser>();
        builder.Services.AddScoped<AuditTool.Web.Components.Shared.AutosaveCircuit>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(
            sp => sp.GetRequiredService<AuditTool.Web.Components.Shared.AutosaveCircuit>());

        // The agencies' identity providers (AuditTool:Oidc:Providers): a bad block stops the server with a message.
        var oidc = new OidcProviders(builder.Configuration);
        builder.Services.AddSingleton(oidc);
        var authentication = builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme);
        oidc.Register(authentication);
        authentication
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/Account/SignIn";
                cookie.LogoutPath = "/Account/SignOut";
                cookie.AccessDeniedPath = "/Account/AccessDenied";
                cookie.Cookie.Name = "audittool.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request is HTTPS, which outside Development it always is: plain HTTP is redirected,
                // and behind a TLS proxy (AuditTool:KnownProxies) the forwarded scheme counts.
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.IdleTimeoutMinutes);
                cookie.SlidingExpiration = true;
                cookie.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = CookieValidation.ValidateAsync,
                    OnRedirectToAccessDenied = CookieValidation.AccessDeniedAsync,
                };
            });
        builder.Services.AddAuthorization(auth =>
        {
            // Every endpoint needs a signed-in user unless it says otherwise (sign-in page, /health).
            auth.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddForwardedHeadersFrom(options.KnownProxies);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
            builder.Services.AddHttpsRedirection(https => https.HttpsPort = options.HttpsPort);
        }

        builder.Services.AddSignInRateLimits(options.SignIn);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        var app = builder.Build();
        if (BehindAProxy.Any(options.KnownProxies))
        {
            app.UseForwardedHeaders();
        }
        else if (!app.Environment.IsDevelopment() && !options.HttpsRedirect)
        {
            app.Logger.LogWarning("AuditTool:HttpsRedirect is off and AuditTool:KnownProxies is not set: the app cannot tell that requests " +
                "came over HTTPS through the proxy, so its cookies are not marked Secure and HSTS is not sent. Set AuditTool:KnownProxies.");
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
            if (options.HttpsRedirect)
            {
                // A load balancer's health probe may come over plain HTTP: it is answered, not redirected.
                app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health"), https => https.UseHttpsRedirection());
            }
        }

        app.UseSecurityHeaders(oidc.All.Select(p => p.Origin));
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Static files (the app's, Blazor's and Radzen's) as endpoints: fingerprinted and compressed when published, served
        // to everyone (the sign-in page needs its styles before anyone has signed in).
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapExternalSignInEndpoints();
        app.MapPasskeyEndpoints();
        app.MapDownloadEndpoints();
        // Our own Content-Security-Policy already says frame-ancestors 'none' (stricter than the 'self' that .NET adds for
        // WebSocket compression); null keeps the response to one policy header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    private sealed class DatabaseHealthCheck(ConnectionFactory factory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var connection = await factory.OpenAsync();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM \"VersionInfo\"";
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.", ex);
            }
        }
    }
}
