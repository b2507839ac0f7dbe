using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AuditTool.Web.Hosting;

/// <summary>
/// The app behind a TLS proxy (the README's deployment). Forwarded headers are believed from the configured proxies
/// only (<c>AuditTool:KnownProxies</c>; ASP.NET Core's default of trusting loopback is dropped), so the app sees the
/// person's address (for the sign-in limits) and that the request came over HTTPS (for Secure cookies and HSTS). Outside
/// Development: HSTS, Secure cookies, and a redirect to HTTPS unless the proxy does it (<c>AuditTool:HttpsRedirect</c>).
/// </summary>
public static class BehindAProxy
{
    public static IServiceCollection AddForwardedHeadersFrom(this IServiceCollection services, string? knownProxies)
    {
        var (proxies, networks) = Parse(knownProxies);
        return services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            options.ForwardLimit = 1;
        });
    }

    /// <summary>Addresses and networks, comma-separated; a bad one is an <see cref="ArgumentException"/> naming it.</summary>
    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<System.Net.IPNetwork> Networks) Parse(string? knownProxies)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in (knownProxies ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Contains('/') && System.Net.IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                throw new ArgumentException($"AuditTool:KnownProxies: '{item}' is not an IP address or a network such as 10.0.0.0/8.");
            }
        }

        return (proxies, networks);
    }

    public static bool Any(string? knownProxies) => !string.IsNullOrWhiteSpace(knownProxies);
}
