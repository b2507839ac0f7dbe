namespace AuditTool.Web.Hosting;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows only this site's own scripts (Blazor's and
/// Radzen's files), its own WebSocket for the circuit, and inline style attributes, which Radzen's components set.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// The policy, with the origins of the identity providers that the sign-in form may send the browser on to (a form's
    /// redirects are held to form-action too: a work address typed on the sign-in page goes on to its provider).
    /// </summary>
    public static string PolicyWith(IEnumerable<string> formTargets)
    {
        var extra = string.Join(' ', formTargets.Distinct(StringComparer.OrdinalIgnoreCase));
        return extra.Length == 0
            ? ContentSecurityPolicy
            : ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {extra}", StringComparison.Ordinal);
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IEnumerable<string>? formTargets = null)
    {
        var policy = PolicyWith(formTargets ?? []);
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["Content-Security-Policy"] = policy;
            headers["X-Frame-Options"] = "DENY";
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            await next();
        });
    }
}
